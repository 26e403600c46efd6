"""ms per image of the ONNX detector in onnxruntime-node (session.run only, fixed SxS input).
Reports wall-clock median and, because the build machine's 2 cores are shared with other jobs,
also the process CPU time per run (user+system; with 1 thread that is what an idle core would take).

  /usr/bin/python3 bench.py --onnx ../../plate-detector.onnx --sizes 512,320 --out runs/bench.json
"""
import argparse
import json
import os
import subprocess

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../.."))
SCRIPT = r"""
import ort from 'onnxruntime-node';
const [model, sizes, runs] = process.argv.slice(2);
const res = [];
for (const t of [1, 2]) {
  const sess = await ort.InferenceSession.create(model, {intraOpNumThreads: t, interOpNumThreads: 1, graphOptimizationLevel: 'all'});
  for (const S of sizes.split(',').map(Number)) {
    const x = new ort.Tensor('float32', new Float32Array(3 * S * S).fill(0.45), [1, 3, S, S]);
    for (let i = 0; i < 5; i++) await sess.run({x});
    const wall = [], cpu = [];
    for (let i = 0; i < +runs; i++) {
      const c0 = process.cpuUsage(); const t0 = performance.now();
      await sess.run({x});
      wall.push(performance.now() - t0); const c = process.cpuUsage(c0); cpu.push((c.user + c.system) / 1000);
    }
    const med = a => a.slice().sort((p, q) => p - q)[Math.floor(a.length / 2)];
    const min = a => Math.min(...a);
    res.push({threads: t, size: S, wall_median_ms: +med(wall).toFixed(2), wall_min_ms: +min(wall).toFixed(2), cpu_median_ms: +med(cpu).toFixed(2)});
  }
}
console.log(JSON.stringify(res));
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--onnx", default="../../plate-detector.onnx")
    ap.add_argument("--sizes", default="512,320")
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--out")
    a = ap.parse_args()
    script = os.path.join(REPO, f".plate_bench_{os.getpid()}.mjs")
    open(script, "w").write(SCRIPT)
    try:
        r = subprocess.run(["node", script, os.path.abspath(a.onnx), a.sizes, str(a.runs)], cwd=REPO,
                           capture_output=True, text=True, check=True)
    finally:
        os.remove(script)
    res = json.loads(r.stdout.strip().splitlines()[-1])
    with open("/proc/loadavg") as f:
        load = f.read().split()[0]
    for x in res:
        print(x)
    print("loadavg(1 min) during bench:", load)
    if a.out:
        json.dump({"results": res, "loadavg_1min": float(load)}, open(a.out, "w"), indent=1)


if __name__ == "__main__":
    main()
