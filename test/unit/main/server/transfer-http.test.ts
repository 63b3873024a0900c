// The download response of the desktop window's protocol and the Content-Disposition of every
// download: hostile names never break a header, a ticket serves once, the bytes stream through.
import type { Writable } from 'node:stream';
import type { Transfer } from '../../../../common/schemas/files';
import { TransferTickets } from '../../../../main/core/files/tickets';
import { contentDisposition, transferDownloadResponse } from '../../../../main/server/transfer-http';

const transfer = { id: 'transfer-1', state: 'succeeded' } as Transfer;

describe('transfer downloads', () => {
  it('names the file exactly (RFC 6266) and safely, whatever is in the name', () => {
    expect(contentDisposition('report.txt')).toBe(
      `attachment; filename="report.txt"; filename*=UTF-8''report.txt`,
    );
    const hostile = contentDisposition('line\nbreak "quoted" ünï\r\n.txt');
    expect(hostile).not.toMatch(/[\r\n]/);
    expect(hostile).toContain(`filename*=UTF-8''line%0Abreak%20%22quoted%22%20%C3%BCn%C3%AF%0D%0A.txt`);
    expect(hostile).toContain('filename="line_break _quoted_ _n___.txt"');
    expect(contentDisposition('.bashrc')).toContain('filename="_bashrc"');
  });

  it('streams a download once, with its headers, and refuses the ticket afterwards', async () => {
    const tickets = new TransferTickets();
    const id = tickets.issue({
      kind: 'download',
      owner: 'me',
      transfer,
      filename: 'data.bin',
      type: 'file',
      size: 11,
      cancel: () => {},
      start: async (sink: Writable) => {
        sink.write('hello ');
        await new Promise((r) => setTimeout(r, 10));
        sink.end('world');
        return transfer;
      },
    });
    const response = transferDownloadResponse(`/api/transfer/${id}`, tickets)!;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('11');
    expect(response.headers.get('content-disposition')).toContain('data.bin');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await response.text()).toBe('hello world');
    expect(transferDownloadResponse(`/api/transfer/${id}`, tickets)!.status).toBe(404);
    expect(transferDownloadResponse('/index.html', tickets)).toBeUndefined();
  });

  it('cancels the transfer when the receiver goes away', async () => {
    const tickets = new TransferTickets();
    const cancel = vi.fn();
    const id = tickets.issue({
      kind: 'download',
      owner: 'me',
      transfer,
      filename: 'big.bin',
      type: 'file',
      size: null,
      cancel,
      start: (sink: Writable) => {
        sink.write(Buffer.alloc(1024));
        return new Promise<Transfer>(() => {});
      },
    });
    const response = transferDownloadResponse(`/api/transfer/${id}`, tickets)!;
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await vi.waitFor(() => expect(cancel).toHaveBeenCalled());
  });
});
