import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import './styles/main.css'
import App from './App.vue'
import { i18n } from './i18n'
import { router } from './router'

document.documentElement.lang = i18n.global.locale.value

createApp(App)
  .use(createPinia())
  .use(i18n)
  .use(ElementPlus)
  .use(router)
  .mount('#app')
