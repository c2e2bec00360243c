import { createApp } from "./app.js";
import { productionSessionStore } from "./store.js";

const port = readPort(process.env.PORT);

createApp({ sessionStore: productionSessionStore() }).listen(port, (error) => {
  if (error) {
    console.error(`Could not listen on port ${port}: ${error.message}`);
    console.error("Is another server running there? Stop it, or set PORT to another number.");
    process.exit(1);
  }
  console.log(`Listening on http://localhost:${port} (Ctrl+C stops it)`);
});

function readPort(value: string | undefined): number {
  const port = Number(value ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`PORT must be a whole number from 0 to 65535, not "${value}".`);
    process.exit(1);
  }
  return port;
}
