"""What a bench figure was measured on: the file system under the benches'
temp dir (refused when it is tmpfs: a RAM disk's fsync costs nothing, so
every durable-write figure would be flattered), the kernel, the CPU.

As a program: machine.py DIR prints that as one JSON object and exits 3 when
DIR is on tmpfs and BENCH_ALLOW_TMPFS is not 1 (bench/run.sh stops there).
"""
import json
import os
import platform
import subprocess
import sys

RAM_FILE_SYSTEMS = ("tmpfs", "ramfs")


def _run(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              timeout=10, check=False).stdout.decode().strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def file_system(path):
    """{"path", "fs", "source", "tmpfs"} for the mount holding path. findmnt
    names ext4 as ext4 (stat -f says "ext2/ext3"); stat -f is the fallback."""
    fs, source = "", ""
    out = _run(["findmnt", "-n", "-f", "-o", "FSTYPE,SOURCE", "-T", path])
    if out:
        parts = out.split(None, 1)
        fs, source = parts[0], (parts[1] if len(parts) > 1 else "")
    if not fs:
        fs = _run(["stat", "-f", "-c", "%T", path]) or "unknown"
    return {"path": os.path.abspath(path), "fs": fs, "source": source, "tmpfs": fs in RAM_FILE_SYSTEMS}


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine(path):
    """The file system under path plus kernel, CPU model, cores and host."""
    m = file_system(path)
    m.update({"kernel": platform.release(), "cpu": cpu_model(), "cores": os.cpu_count(),
              "host": platform.node()})
    return m


def tmpfs_allowed():
    return os.environ.get("BENCH_ALLOW_TMPFS") == "1"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "/tmp"
    m = machine(path)
    print(json.dumps(m))
    if m["tmpfs"] and not tmpfs_allowed():
        sys.stderr.write("\n*** %s is on %s: fdatasync there costs nothing and every durable-write figure\n"
                         "*** would be flattered. Point BENCH_TMPDIR at a directory on a disk, or set\n"
                         "*** BENCH_ALLOW_TMPFS=1 to run anyway (the JSON then says \"tmpfs\": true).\n\n"
                         % (m["path"], m["fs"]))
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
