"""The PyTorch peer of bench/train.ts: the same reference DQN updates, greedy action and matMuls, on one thread.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/torch_updates.py [--seconds 1] [--repeats 3]

One DQN update is SB3's / CleanRL's step with arcade-rl's defaults (agents/dqn/config.ts): target network forward
without gradients, online forward, Q gathered by action, Huber TD loss (gamma 0.99), backward, global-norm clipping
at 10, Adam (lr 1e-4). Timing follows bench/lib/rate.ts: a warm-up, then `repeats` runs of `seconds` each, counting
calls; each run gives calls per wall-clock second and per second of this process's CPU time. Prints one JSON object
on stdout (bench/lib/torch-peer.ts reads it); exits 3 with one line on stderr when torch cannot be imported.
"""
import argparse
import json
import os
import subprocess
import sys
import time

# One thread for torch and for its BLAS: two threads each oversubscribe a 2-core machine (issue 9's Goals).
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any import failure means "no peer here"
    print(f"torch cannot be imported by {sys.executable}: {error}", file=sys.stderr)
    sys.exit(3)

GAMMA = 0.99
LEARNING_RATE = 1e-4
MAX_GRAD_NORM = 10.0
WARM_UP_SECONDS = 0.3


def mlp(sizes):
    """Dense layers sizes[0] -> ... -> sizes[-1], relu between, linear output (torch's default init, as SB3)."""
    layers = []
    for i in range(1, len(sizes)):
        layers.append(nn.Linear(sizes[i - 1], sizes[i]))
        if i < len(sizes) - 1:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def nature_cnn(actions):
    """Mnih et al. 2015 on NCHW 4x84x84: conv 32 8x8/4, 64 4x4/2, 64 3x3/1 (relu, valid), dense 512, actions."""
    return nn.Sequential(
        nn.Conv2d(4, 32, 8, stride=4), nn.ReLU(),
        nn.Conv2d(32, 64, 4, stride=2), nn.ReLU(),
        nn.Conv2d(64, 64, 3, stride=1), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 7 * 7, 512), nn.ReLU(),
        nn.Linear(512, actions),
    )


def dqn_update(build, obs_shape, actions, batch):
    """A zero-argument function doing one DQN update on a fixed random batch."""
    online = build()
    target = build()
    target.load_state_dict(online.state_dict())
    optimizer = torch.optim.Adam(online.parameters(), lr=LEARNING_RATE)
    obs = torch.rand((batch, *obs_shape)) * 2 - 1
    next_obs = torch.rand((batch, *obs_shape)) * 2 - 1
    taken = torch.randint(actions, (batch, 1))
    rewards = torch.rand(batch) * 2 - 1
    not_done = (torch.rand(batch) >= 0.05).float()

    def update():
        with torch.no_grad():
            y = rewards + GAMMA * target(next_obs).max(dim=1).values * not_done
        q = online(obs).gather(1, taken).squeeze(1)
        loss = F.smooth_l1_loss(q, y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(online.parameters(), MAX_GRAD_NORM)
        optimizer.step()

    return update


def greedy_action(sizes):
    """One greedy action of an MLP on a single observation, as CleanRL's rollout does (no grad, argmax, .item())."""
    net = mlp(sizes)
    obs = torch.rand(sizes[0]) * 2 - 1

    def act():
        with torch.no_grad():
            return net(obs).argmax().item()

    return act


def matmul(n):
    a = torch.rand(n, n) * 2 - 1
    b = torch.rand(n, n) * 2 - 1
    c = torch.empty(n, n)
    return lambda: torch.mm(a, b, out=c)


def rates(fn, seconds, repeats):
    """Calls per wall-clock second and per CPU second, one of each per repeat, after a warm-up."""
    calls = 0
    start = time.perf_counter()
    while calls < 2 or time.perf_counter() - start < WARM_UP_SECONDS:
        fn()
        calls += 1
    # Calls between clock reads, so that a chunk lasts about a millisecond.
    chunk = max(1, int(calls / ((time.perf_counter() - start) * 1000)))
    wall, cpu = [], []
    for _ in range(repeats):
        n = 0
        t0, c0 = time.perf_counter(), time.process_time()
        now = t0
        while now - t0 < seconds:
            for _ in range(chunk):
                fn()
            n += chunk
            now = time.perf_counter()
        used = time.process_time() - c0
        wall.append(n / (now - t0))
        cpu.append(n / used if used > 0 else float("nan"))
    return {"wall": wall, "cpu": cpu}


def blas_info():
    """The BLAS library loaded into this process (Debian's torch takes whichever libblas.so.3 is selected), or
    torch's build setting where /proc is absent."""
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1]
                if "blas" in os.path.basename(path):
                    return os.path.basename(path)
    except OSError:
        pass
    for part in torch.__config__.show().replace(",", "\n").splitlines():
        if "BLAS_INFO=" in part:
            return part[part.index("BLAS_INFO="):].strip()
    return ""


def debian_package():
    """The Debian package torch came from ("python3-torch 1.13.1+dfsg-4"; its torch.__version__ says 1.13.0a0),
    or "" off Debian."""
    try:
        found = subprocess.run(["dpkg-query", "-W", "-f=${Package} ${Version}", "python3-torch"],
                               capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return found.stdout.strip() if found.returncode == 0 and torch.__file__.startswith("/usr/lib/python3") else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one timed run (default 1)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs per figure (default 3)")
    args = parser.parse_args()
    if not args.seconds > 0 or args.repeats < 1:
        parser.error("--seconds must be positive and --repeats at least 1")

    torch.set_num_threads(1)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    cases = {
        "update-mlp-small": dqn_update(lambda: mlp([4, 64, 64, 2]), (4,), 2, 64),
        "update-mlp-large": dqn_update(lambda: mlp([400, 256, 256, 6]), (400,), 6, 64),
        "update-nature-cnn": dqn_update(lambda: nature_cnn(6), (4, 84, 84), 6, 32),
        "greedy-mlp-small": greedy_action([4, 64, 64, 2]),
        "matmul-64": matmul(64),
        "matmul-256": matmul(256),
        "matmul-1024": matmul(1024),
    }
    results = {}
    for key, fn in cases.items():
        print(f"torch: {key}", file=sys.stderr, flush=True)
        results[key] = rates(fn, args.seconds, args.repeats)
    json.dump({
        "torch": torch.__version__,
        "package": debian_package(),
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "blas": blas_info(),
        "results": results,
    }, sys.stdout)
    print()


if __name__ == "__main__":
    main()
