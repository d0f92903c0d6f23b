/** The dom tier's setup: both languages at hand at once, as after the app's start-up has loaded them. */
import { provideCatalog } from '../../src/renderer/src/i18n'
import { en } from '../../src/shared/i18n/en'
import { zhCN } from '../../src/shared/i18n/zh-CN'

provideCatalog('en', en)
provideCatalog('zh-CN', zhCN)
