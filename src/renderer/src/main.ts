import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './assets/main.css'
import { locale } from './i18n'
import { guardDrops } from './lib/drops'

document.documentElement.lang = locale.value
guardDrops(window)
createApp(App).use(createPinia()).mount('#app')
