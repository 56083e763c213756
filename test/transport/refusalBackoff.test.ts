import type { Socket } from 'socket.io';
import { RefusalBackoff } from '../../server/transport/socket/refusalBackoff';

/** A socket.io socket reduced to what the backoff touches: its websocket's pause and resume. */
function fakeSocket() {
  const calls: string[] = [];
  const ws = { pause: () => calls.push('pause'), resume: () => calls.push('resume') };
  const socket = { connected: true, conn: { transport: { socket: ws } } } as unknown as Socket;
  return { socket, calls };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('a second refusal in a row stops reading the socket for 2 s, then the pause doubles; an accepted update ends the streak', () => {
  const { socket, calls } = fakeSocket();
  const backoff = new RefusalBackoff(socket);
  backoff.refused();
  expect(calls).toEqual([]);
  backoff.refused();
  expect(calls).toEqual(['pause']);
  jest.advanceTimersByTime(1_999);
  expect(calls).toEqual(['pause']);
  jest.advanceTimersByTime(1);
  expect(calls).toEqual(['pause', 'resume']);
  backoff.refused();
  expect(calls).toEqual(['pause', 'resume', 'pause']);
  jest.advanceTimersByTime(3_999);
  expect(calls).toHaveLength(3);
  jest.advanceTimersByTime(1);
  expect(calls).toEqual(['pause', 'resume', 'pause', 'resume']);
  backoff.accepted();
  backoff.refused();
  expect(calls).toHaveLength(4);
});

test('refusals while paused do not stack pauses; closing reads again at once (the close handshake must get through)', () => {
  const { socket, calls } = fakeSocket();
  const backoff = new RefusalBackoff(socket);
  backoff.refused();
  backoff.refused();
  backoff.refused();
  backoff.refused();
  expect(calls).toEqual(['pause']);
  backoff.close();
  expect(calls).toEqual(['pause', 'resume']);
  jest.advanceTimersByTime(120_000);
  backoff.close();
  expect(calls).toEqual(['pause', 'resume']);
});

test('a transport without a pausable websocket is left alone', () => {
  const socket = { connected: true, conn: { transport: { name: 'polling' } } } as unknown as Socket;
  const backoff = new RefusalBackoff(socket);
  expect(() => {
    backoff.refused();
    backoff.refused();
  }).not.toThrow();
});
