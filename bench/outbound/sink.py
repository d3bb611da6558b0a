"""The outbound bench's receivers: one asyncio SMTP sink listening on port 25
of every given loopback address (the destination domains' MX hosts), waiting
a fixed delay before every reply as a remote server across a network would.
For every message it accepts it appends "<n> <CLOCK_MONOTONIC seconds>" to
the log file (n from the "Subject: outbound <n>" line), so the bench can
count every message exactly once and knows when the last one arrived.

    python3 sink.py LOGFILE DELAY_MS ADDR [ADDR ...]

Prints "ready" once listening; SIGTERM stops it."""
import asyncio
import re
import signal
import sys
import time

SUBJECT = re.compile(rb"^Subject: outbound (\d+)\r?$", re.M)


class Sink:
    def __init__(self, logfile, delay_s):
        self.log = open(logfile, "a", buffering=1 << 16)
        self.delay = delay_s

    async def reply(self, writer, line):
        if self.delay:
            await asyncio.sleep(self.delay)
        writer.write(line)
        await writer.drain()

    async def session(self, reader, writer):
        try:
            await self.reply(writer, b"220 sink.outbound.test ESMTP\r\n")
            while True:
                cmd = await reader.readline()
                if not cmd:
                    return
                verb = cmd[:4].upper()
                if verb == b"DATA":
                    await self.reply(writer, b"354 go ahead\r\n")
                    text = await reader.readuntil(b"\r\n.\r\n")
                    self.accept(text)
                    await self.reply(writer, b"250 2.0.0 queued\r\n")
                elif verb in (b"EHLO", b"HELO"):
                    await self.reply(writer, b"250-sink.outbound.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
                elif verb == b"QUIT":
                    await self.reply(writer, b"221 bye\r\n")
                    return
                else:
                    await self.reply(writer, b"250 ok\r\n")
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def accept(self, text):
        m = SUBJECT.search(text)
        self.log.write("%s %.6f\n" % (m.group(1).decode() if m else "?", time.monotonic()))


async def main(logfile, delay_ms, addrs):
    sink = Sink(logfile, delay_ms / 1000.0)
    servers = [await asyncio.start_server(sink.session, a, 25, limit=1 << 20, backlog=512) for a in addrs]
    print("ready", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    while not stop.is_set():          # the log reaches the file at least every 50 ms
        try:
            await asyncio.wait_for(stop.wait(), 0.05)
        except asyncio.TimeoutError:
            pass
        sink.log.flush()
    for s in servers:
        s.close()
    sink.log.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], float(sys.argv[2]), sys.argv[3:]))
