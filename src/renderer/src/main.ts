import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './assets/theme.css'
import './assets/layout.css'
import './assets/parts.css'
import { locale } from './i18n'
import { guardDrops } from './lib/drops'

document.documentElement.lang = locale.value
guardDrops(window)
createApp(App).use(createPinia()).mount('#app')
