import { createApp } from "./app.js";

const DEFAULT_PORT = 3000;

const port = parsePort(process.env.PORT);
const app = createApp();

// Express 5 hands a listen error (EADDRINUSE, EACCES…) to this callback instead of throwing it.
const server = app.listen(port, (error) => {
  if (error) {
    console.error(`Cannot listen on port ${port}: ${describeListenError(error)}`);
    process.exit(1);
  }
  // With PORT=0 the system picks a free port: print the real one.
  const address = server.address();
  const actualPort = typeof address === "object" && address !== null ? address.port : port;
  console.log(`Cookie demo running at http://localhost:${actualPort}`);
});

function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number from 0 to 65535, not "${value}".`);
    process.exit(1);
  }
  return port;
}

function describeListenError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case "EADDRINUSE":
      return "it is already in use (EADDRINUSE). Stop the other server, or pick another port: PORT=3001.";
    case "EACCES":
      return "permission denied (EACCES). Pick a port above 1023: PORT=3001.";
    default:
      return error.message;
  }
}
