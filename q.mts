import { vinSceneSuite } from './packages/core/test/gen/vin-scenes.ts';
import { createRecognizer } from './packages/core/src/node.ts';
const n = Number(process.argv[2] ?? 30), seed = Number(process.argv[3] ?? 7000);
const kinds = process.argv[4];
const scenes = vinSceneSuite(n, seed).filter(s => !kinds || s.kind === kinds);
const r = await createRecognizer({tasks:['vin']});
let ok=0; const ms=[];
for (const s of scenes) {
  const t=performance.now(); const res = await r.readVin(s.bytes).catch(e=>({vin:'ERR '+e.status})); ms.push(performance.now()-t);
  if (res.vin===s.vin) ok++; else console.log('MISS', s.seed, s.kind, s.vin, '→', res.vin);
}
ms.sort((a,b)=>a-b); console.log('exact', ok, '/', scenes.length, 'median ms', ms[ms.length>>1].toFixed(0));
