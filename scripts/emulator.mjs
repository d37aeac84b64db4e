// npm run emulator: start the project's moto server in the foreground (default port 4566).
import { startMoto } from './lib/emulator.mjs';

const port = Number(process.env.EMULATOR_PORT ?? 4566);
const moto = await startMoto({ port, quiet: false });
console.log(`moto listening on ${moto.url} — export AWS_ENDPOINT_URL=${moto.url}`);
for (const signal of ['SIGINT', 'SIGTERM'])
  process.on(signal, () => void moto.stop().then(() => process.exit(0)));
