// tests/api/rawhttp.mjs — one HTTP/1.1 request over a raw socket, so that a path and its
// bytes reach the server exactly as written (fetch normalises "../" and refuses NUL).
// Resolves { status, headers (lower-case names), text, json }; status 0 when the server
// closed without an answer.
import net from "node:net";

// `from` is the source address (any of 127.0.0.0/8), to act as another client.
export function rawRequest(port, { method = "GET", path = "/", headers = {}, body, timeoutMs = 15000, from }) {
  return new Promise((resolve, reject) => {
    const buf = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const head = [`${method} ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, "Connection: close"];
    for (const [k, v] of Object.entries(headers)) head.push(`${k}: ${v}`);
    if (buf && !Object.keys(headers).some((k) => k.toLowerCase() === "content-length"))
      head.push(`Content-Length: ${buf.length}`);
    const s = net.connect({ port, host: "127.0.0.1", ...(from ? { localAddress: from } : {}) });
    const chunks = [];
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no answer in ${timeoutMs} ms: ${method} ${path.slice(0, 80)}`));
    }, timeoutMs);
    s.on("connect", () => {
      const h = Buffer.from(head.join("\r\n") + "\r\n\r\n", "latin1");
      s.write(buf ? Buffer.concat([h, buf]) : h);
    });
    s.on("data", (d) => chunks.push(d));
    s.on("error", (e) => {
      clearTimeout(timer);
      if (chunks.length) s.emit("close");
      else reject(e);
    });
    s.on("close", () => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const i = all.indexOf("\r\n\r\n");
      if (i < 0) return resolve({ status: 0, headers: {}, text: all.toString("latin1") });
      const lines = all.subarray(0, i).toString("latin1").split("\r\n");
      const hs = {};
      for (const l of lines.slice(1)) {
        const c = l.indexOf(":");
        hs[l.slice(0, c).toLowerCase()] = l.slice(c + 1).trim();
      }
      const text = all.subarray(i + 4).toString("utf8");
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      resolve({ status: Number(lines[0].split(" ")[1]), headers: hs, text, json });
    });
  });
}
