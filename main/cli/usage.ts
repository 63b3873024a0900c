// The CLI's help text, shown by `hyperion help` and after any usage error.

export const USAGE = `Usage: hyperion <command> [options]

Commands:
  serve                 Serve Hyperion to a browser (the API over a WebSocket)
      --port N          TCP port (default 7420; 0 picks a free one)
      --bind ADDR       Address to listen on (default 127.0.0.1)
      --data-dir DIR    Where Hyperion keeps its data (default: the OS app-data folder)
  sample                Take one sample of this machine and print it
      --json            Print the sample as JSON
      --interval MS     Time between the two readings that rates need (default 1000)
  help                  Show this help
  version               Print the version

Environment:
  HYPERION_TOKEN        A fixed access token for serve (16–128 URL-safe characters); random otherwise

Examples:
  hyperion serve --port 8080
  hyperion sample --json | jq .cpu.total
`;

export class UsageError extends Error {}
