import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import './assets/theme.css'
import './assets/layout.css'
import './assets/parts.css'
import { loadLocale, locale } from './i18n'
import { guardDrops } from './lib/drops'

document.documentElement.lang = locale.value
guardDrops(window)
// the language shown is loaded before the first paint (中文 is a chunk of its own); if it cannot
// be, the page comes up in English rather than not at all
void loadLocale(locale.value)
  .catch(() => (locale.value = 'en'))
  .then(() => createApp(App).use(createPinia()).mount('#app'))
