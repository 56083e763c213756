import * as Y from 'yjs';
import { LogDoc } from '../../shared/docs/logDoc';
import { seedEntry, seedAuthor } from '../lib/seedLog';
const doc = new Y.Doc(); const log = new LogDoc(doc);
const start = Date.now() - 120000*1000;
for (let i=0;i<100000;i++){ doc.clientID = 1_000_000 + (i%50)*7919; doc.transact(()=>log.array.insert(log.array.length,[JSON.stringify(seedEntry(i,start,seedAuthor(i%50)))])); }
const snap = Y.encodeStateAsUpdate(doc);
const tail: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => tail.push(u));
for (let i=100000;i<120000;i++){ doc.clientID = 1_000_000 + (i%50)*7919; doc.transact(()=>log.array.insert(log.array.length,[JSON.stringify(seedEntry(i,start,seedAuthor(i%50)))])); }
// delete a few
doc.transact(()=>log.array.delete(5, 3));
console.log('tail records', tail.length, 'tail MB', (tail.reduce((n,u)=>n+u.length,0)/1e6).toFixed(1));
function treeMerge(us: Uint8Array[]): Uint8Array { while (us.length > 1) { const next: Uint8Array[] = []; for (let i=0;i<us.length;i+=32) next.push(us.length - i === 1 ? us[i]! : Y.mergeUpdates(us.slice(i,i+32))); us = next; } return us[0]!; }
for (let r=0;r<3;r++){
  let t=performance.now(); const mt = treeMerge(tail.slice()); const t1=performance.now(); const merged = Y.mergeUpdates([snap, mt]); const t2=performance.now(); const sv=Y.encodeStateVectorFromUpdate(merged); const t3=performance.now();
  const enc = Y.encodeStateAsUpdate(doc); const t4=performance.now();
  console.log('tailMerge',(t1-t).toFixed(0),'finalMerge',(t2-t1).toFixed(0),'sv',(t3-t2).toFixed(0),'encode',(t4-t3).toFixed(0),'bytes merged',merged.length,'encoded',enc.length);
}
const d2 = new Y.Doc(); Y.applyUpdate(d2, Y.mergeUpdates([snap, treeMerge(tail.slice())]));
console.log('same state', Buffer.compare(Buffer.from(Y.encodeStateAsUpdate(d2)), Buffer.from(Y.encodeStateAsUpdate(doc))) === 0, d2.getArray('log').length, log.array.length);
