import { startSshdFleet } from '../../helpers/sshd';
it('cleans up a failed start', async () => {
  // The third host gets a config sshd rejects; the other two must not be left running.
  await expect(startSshdFleet(3, { logLevel: 'BOGUS' as 'INFO' })).rejects.toThrow(/exited/);
});
