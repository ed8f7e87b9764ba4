// Navigation state the router sets and the layout reads.
import { ref } from 'vue'
// The full path of the last route refused for a missing permission (NotFound.vue says so).
export const deniedPath = ref('')
// The side menu's highlighted entry (router/index.js sets it after each navigation).
export const activeMenu = ref('')
