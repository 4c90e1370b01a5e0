// Entry point for `npm run dev`: the CLI run from source by tsx (bin/cairn.js runs the built dist/).
import { main } from './main.js';

await main(process.argv.slice(2));
