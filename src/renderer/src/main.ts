import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './assets/main.css'
import { locale } from './i18n'

document.documentElement.lang = locale.value
createApp(App).use(createPinia()).mount('#app')
