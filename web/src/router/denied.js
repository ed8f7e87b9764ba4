// The full path of the last route refused for a missing permission (NotFound.vue says so).
import { ref } from 'vue'
export const deniedPath = ref('')
