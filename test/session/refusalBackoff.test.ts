import { RefusalBackoff, type PausableReads } from '../../server/session/refusalBackoff';

/** A connection reduced to what the backoff touches: whether it reads. */
function fakeSocket() {
  const calls: string[] = [];
  const socket: PausableReads = { pauseReads: () => calls.push('pause') > 0, resumeReads: () => void calls.push('resume') };
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
  const calls: string[] = [];
  const backoff = new RefusalBackoff({ pauseReads: () => false, resumeReads: () => void calls.push('resume') });
  backoff.refused();
  backoff.refused();
  backoff.close();
  expect(calls).toEqual([]);
});
