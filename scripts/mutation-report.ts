// npm run test:mutation's last step: the three runs' scores together, and whether they meet the target.
import { main } from './mutation-score'

process.exit(main())
