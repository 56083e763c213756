import { useState } from 'preact/hooks';
import { type InjectChannel, INJECT_CHANNELS } from '../../../../../shared/exercise/scenario';
import type { ImprovisedInject } from '../../../../../shared/exercise/exerciseState';
import { useI18n } from '../common/common';

/** An inject written on the spot by an animator: it reaches the players at once. */
export function ImproviseForm({ roles, onSend }: { roles: Array<{ id: string; label: string }>; onSend: (input: ImprovisedInject) => Promise<boolean> }) {
  const { t } = useI18n();
  const w = t.exercise;
  const [channel, setChannel] = useState<InjectChannel>('phone');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [text, setText] = useState('');
  const [expected, setExpected] = useState('');
  const [busy, setBusy] = useState(false);
  const ready = from.trim() !== '' && text.trim() !== '' && !busy;
  return (
    <section class="card-box" aria-labelledby="improvise-title">
      <h2 id="improvise-title">{w.improviseTitle}</h2>
      <form
        class="improvise"
        data-testid="improvise-form"
        onSubmit={(ev) => {
          ev.preventDefault();
          if (!ready) return;
          setBusy(true);
          void onSend({ channel, from: from.trim(), to: to === '' ? null : to, text: text.trim(), expected: expected.trim() }).then((ok) => {
            setBusy(false);
            if (!ok) return;
            setText('');
            setExpected('');
          });
        }}
      >
        <div class="row">
          <label class="field">
            <span>{w.improviseChannel}</span>
            <select value={channel} data-testid="improvise-channel" onChange={(ev) => setChannel(ev.currentTarget.value as InjectChannel)}>
              {INJECT_CHANNELS.map((c) => (
                <option value={c}>{w.channels[c]}</option>
              ))}
            </select>
          </label>
          <label class="field grow">
            <span>{w.improviseFrom}</span>
            <input type="text" value={from} maxLength={200} data-testid="improvise-from" onInput={(ev) => setFrom(ev.currentTarget.value)} />
          </label>
          <label class="field">
            <span>{w.improviseTo}</span>
            <select value={to} data-testid="improvise-to" onChange={(ev) => setTo(ev.currentTarget.value)}>
              <option value="">{w.wholeCell}</option>
              {roles.map((r) => (
                <option value={r.id}>{r.label}</option>
              ))}
            </select>
          </label>
        </div>
        <label class="field">
          <span>{w.improviseText}</span>
          <textarea value={text} maxLength={10_000} data-testid="improvise-text" onInput={(ev) => setText(ev.currentTarget.value)} />
        </label>
        <label class="field">
          <span>{w.improviseExpected}</span>
          <textarea value={expected} maxLength={10_000} data-testid="improvise-expected" onInput={(ev) => setExpected(ev.currentTarget.value)} />
        </label>
        <div class="row">
          <button type="submit" class="primary" disabled={!ready} data-testid="improvise-send">
            {w.improviseSend}
          </button>
        </div>
      </form>
    </section>
  );
}
