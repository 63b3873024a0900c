// The CLI's help text, shown by `hyperion help` and after any usage error.

export const USAGE = `Usage: hyperion <command> [options]

Commands:
  serve                 Serve Hyperion to a browser (the API over a WebSocket)
      --port N          TCP port (default 7420; 0 picks a free one)
      --bind ADDR       Address to listen on (default 127.0.0.1)
      --data-dir DIR    Where Hyperion keeps its data (default: the OS app-data folder)
      --tls-cert FILE   Serve HTTPS with this PEM certificate (chain) …
      --tls-key FILE    … and this PEM private key
      --allow-host H    A name browsers use to reach this server (DNS name, proxy), repeatable
  sample [HOST]         Take one sample of this machine, a saved host, or [user@]host[:port]
      --json            Print the sample as JSON
      --interval MS     Time between the two readings that rates need (default 1000)
      --identity FILE   Private key for [user@]host[:port] (default: ssh-agent, ~/.ssh/id_*)
      --known-hosts FILE  Known hosts file (default ~/.ssh/known_hosts)
      --accept-key FP   Trust this SHA256 fingerprint if the host's key is not known yet
      --data-dir DIR    Where saved hosts are (default: the OS app-data folder)
  export HOST METRIC    Print a metric's history (HOST: a saved host or "local"; METRIC: e.g. cpu.usage)
      --from T --to T   now, -24h, -7d, an ISO date or epoch ms (default -24h to now)
      --label L         Only this series of the metric (a core, interface, mount…); repeatable
      --format F        csv (default) or json
      --output FILE     Write to FILE instead of standard output
      --data-dir DIR    Where the database is (default: the OS app-data folder)
  exec HOSTS -- COMMAND Run COMMAND in the login shell of saved hosts; exit status 1 if any host failed
                        HOSTS: names separated by commas, tag:NAME, or all (e.g. web-1,tag:db)
      --timeout SEC     Stop each host's command after SEC seconds (default 300)
      --concurrency N   Hosts at a time (default 10)
      --group           Print each host's output as a block when it ends (default: "name | line" as it comes)
      --data-dir DIR    Where saved hosts are (default: the OS app-data folder)
  audit verify          Check the audit log's hash chain (exit status 1 if it was tampered with)
  audit list            Print the newest audit entries (--limit N, default 50)
  audit export          Print the audit log as CSV or JSON (--format, --output)
      --host H --action A  Only one host / one action ("services." for a prefix)
      --from T --to T   Only this time range
      --data-dir DIR    Where the database is (default: the OS app-data folder)
  alerts active         Print the alerts firing now (exit status 1 when any fires)
  alerts history        Print the newest incidents (--limit N, default 50)
  alerts export         Print incidents with their timelines as CSV or JSON (--format, --output)
      --host H --severity S  Only one host / one severity (info, warning, critical)
      --from T --to T   Only incidents active in this time range

  users list            The accounts of serve: role, 2FA, lockout, last sign-in
  users reset NAME      Remove NAME's 2FA, lift a lockout, end their sessions and keys, and print a
                        temporary password (the way back in for an admin who lost phone and codes)
      --data-dir DIR    Where the database is (default: the OS app-data folder)
  help                  Show this help
  version               Print the version

Environment:
  HYPERION_SETUP_TOKEN  A fixed token for serve's first-admin setup link (16–128 URL-safe characters)
  HYPERION_SSH_PASSWORD, HYPERION_SSH_PASSPHRASE
                        Password / key passphrase for sample [user@]host[:port]

Examples:
  hyperion serve --port 8080
  hyperion sample --json | jq .cpu.total
  hyperion exec tag:web -- systemctl is-active nginx
  hyperion export local cpu.usage --from -7d --format csv > cpu.csv
  hyperion alerts export --from -7d --format json > alerts.json
  hyperion sample admin@web-1.example.org:2222 --identity ~/.ssh/id_ed25519 --json
`;

export class UsageError extends Error {}
