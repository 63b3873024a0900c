// Units (UI.md 2): networks in decimal bits per second, as links are sold, or in binary bytes per
// second, as files are counted. Memory and disks are always binary bytes. Kept in this browser.
import { Panel } from '../../components/Panel';
import { setNetworkUnit, useNetworkUnit } from '../../lib/units';

export function UnitsSection() {
  const unit = useNetworkUnit();
  return (
    <Panel title="Units" testId="units-section">
      <fieldset className="units-choice">
        <legend>Network rates</legend>
        <label className="inline">
          <input
            type="radio"
            name="network-unit"
            checked={unit === 'bits'}
            onChange={() => setNetworkUnit('bits')}
            data-testid="unit-bits"
          />
          bits per second, decimal (kbit/s, Mbit/s, Gbit/s): how link speeds are quoted
        </label>
        <label className="inline">
          <input
            type="radio"
            name="network-unit"
            checked={unit === 'bytes'}
            onChange={() => setNetworkUnit('bytes')}
            data-testid="unit-bytes"
          />
          bytes per second, binary (KiB/s, MiB/s): how file transfers count
        </label>
      </fieldset>
      <p className="muted small">
        Memory and disk space are always in binary bytes (KiB, MiB, GiB); disk I/O in binary bytes per second.
        Every chart says which unit it uses.
      </p>
    </Panel>
  );
}
