// "Now" is the core's clock, not the browser's: the browser may run on another machine (serve) or
// with a clock of its own. The offset is measured from app.info, at the middle of the round trip.
let offsetMs = 0;

export function setServerClock(serverNow: number, sentAt: number, receivedAt: number): void {
  offsetMs = Math.round(serverNow - (sentAt + receivedAt) / 2);
}

/** The core's clock now (ms since the epoch). */
export const serverNow = (): number => Date.now() + offsetMs;

/** The core's clock minus the browser's (ms). */
export const serverClockOffset = (): number => offsetMs;
