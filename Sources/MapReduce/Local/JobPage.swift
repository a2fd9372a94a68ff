import Foundation

/// The job's page: one self-contained HTML file (no network but its own
/// API, no external scripts) that shows a job: the overview, counters,
/// workers, a timeline of every attempt by worker slot, and the attempts.
/// The master serves it live, where it polls `api/v1/*` for `JobSnapshot`s;
/// the job commit writes it as `_report.html` with `_job.json` inside.
public enum JobPage {
    /// The live page, which fetches what it shows.
    public static var live: String {
        self.template.replacingOccurrences(of: Self.placeholder, with: "null")
    }

    /// The page showing a finished job's report, given as its JSON (`_job.json`'s bytes).
    public static func report(json: [UInt8]) -> [UInt8] {
        let template = Array(self.template.utf8)
        let placeholder = Array(Self.placeholder.utf8)
        guard let at = template.indices.first(where: { template[$0...].starts(with: placeholder) }) else { return template }
        var page = Array(template[..<at])
        page.reserveCapacity(template.count + json.count + json.count / 64)
        // "<" appears in JSON only inside strings, where the escape means the same: no `</script>` can end the element.
        for byte in json {
            if byte == UInt8(ascii: "<") { page.append(contentsOf: "\\u003c".utf8) } else { page.append(byte) }
        }
        page.append(contentsOf: template[(at + placeholder.count)...])
        return page
    }

    private static let placeholder = "__DATA__"

    private static let template = #"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>swift-mapreduce job</title>
        <style>
        body { font: 14px/1.4 system-ui, sans-serif; margin: 0 24px 24px; color: #1d2329; background: #fff; }
        h1 { font-size: 20px; margin: 16px 0 4px; }
        h2 { font-size: 16px; margin: 24px 0 8px; }
        .state { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; vertical-align: middle; }
        .state.running { background: #2f6fde; } .state.succeeded { background: #2e8b57; } .state.failed { background: #c0392b; }
        .muted { color: #67707a; }
        .phases { display: flex; gap: 24px; flex-wrap: wrap; }
        .phase { min-width: 260px; }
        .bar { height: 10px; background: #e4e8ec; border-radius: 5px; overflow: hidden; }
        .bar > div { height: 100%; background: #2f6fde; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { text-align: left; padding: 3px 10px 3px 0; border-bottom: 1px solid #eceff2; white-space: nowrap; }
        td.num, th.num { text-align: right; }
        td.error { white-space: normal; color: #c0392b; max-width: 640px; }
        th.sortable { cursor: pointer; user-select: none; }
        th.sortable:hover { text-decoration: underline; }
        #timeline { border: 1px solid #e4e8ec; }
        #timeline text { font-size: 11px; fill: #4a525a; }
        .legend span { display: inline-block; margin-right: 14px; font-size: 12px; }
        .legend i { display: inline-block; width: 12px; height: 10px; margin-right: 4px; vertical-align: middle; }
        #page-errors, #failure-list { color: #c0392b; white-space: pre-wrap; }
        </style>
        </head>
        <body>
        <h1><span id="job-name">job</span> <span id="job-state" class="state"></span></h1>
        <div id="job-summary" class="muted"></div>
        <div id="job-error" class="error"></div>
        <div id="page-errors"></div>
        <h2>Phases</h2>
        <div class="phases">
          <div class="phase"><div>map <span id="maps-done"></span></div><div class="bar"><div id="maps-bar"></div></div></div>
          <div class="phase"><div>reduce <span id="reduces-done"></span></div><div class="bar"><div id="reduces-bar"></div></div></div>
        </div>
        <p class="muted">input: <span id="inputs"></span><br>output: <span id="output"></span><br>
        combiner <span id="combiner"></span>, partitioner <span id="partitioner"></span>, parameters: <span id="parameters"></span></p>
        <h2>Timeline</h2>
        <div class="legend">
          <span><i style="background:#4a7fd6"></i>map</span><span><i style="background:#3a9d6a"></i>reduce</span>
          <span><i style="background:#9cc0f0"></i>running</span><span><i style="background:#d2574a"></i>failed</span>
          <span><i style="background:#a3aab2"></i>killed</span><span><i style="border:2px dashed #1d2329;width:8px;height:6px"></i>backup</span>
        </div>
        <svg id="timeline" width="960" height="40" xmlns="http://www.w3.org/2000/svg"></svg>
        <section id="failures" hidden><h2>Failed attempts</h2><ul id="failure-list"></ul></section>
        <h2>Workers</h2>
        <table id="workers"><thead><tr><th>worker</th><th>host</th><th>shuffle</th><th class="num">slots</th><th>state</th>
        <th>running</th><th class="num">succeeded</th><th class="num">failed</th><th class="num">last heard</th></tr></thead><tbody></tbody></table>
        <h2>Attempts</h2>
        <label>state <select id="state-filter"><option value="">all</option><option>running</option><option>succeeded</option>
        <option>failed</option><option>killed</option></select></label>
        <table id="attempts"><thead><tr>
        <th class="sortable" data-key="id">attempt</th><th class="sortable" data-key="worker">worker</th>
        <th class="sortable num" data-key="startSeconds">start (s)</th><th class="sortable num" data-key="durationSeconds">duration (s)</th>
        <th class="sortable" data-key="state">state</th><th class="sortable num" data-key="bytesIn">bytes in</th>
        <th class="sortable num" data-key="bytesOut">bytes out</th><th>error</th></tr></thead><tbody></tbody></table>
        <h2>Counters</h2>
        <table id="counters"><tbody></tbody></table>
        <script id="snapshot" type="application/json">__DATA__</script>
        <script>
        "use strict";
        const pageErrors = [];
        window.addEventListener("error", (event) => { pageErrors.push(String(event.message)); showPageErrors(); });
        window.addEventListener("unhandledrejection", (event) => { pageErrors.push(String(event.reason)); showPageErrors(); });
        function showPageErrors() { document.getElementById("page-errors").textContent = pageErrors.join("\n"); }

        const embedded = fromReport(JSON.parse(document.getElementById("snapshot").textContent));
        /// A report (`_job.json`) as the snapshot the API serves; null stays null.
        function fromReport(report) {
          if (!report) return null;
          const job = {
            name: report.job, state: "succeeded", error: null, maps: report.maps, mapsDone: report.maps,
            reduces: report.reduces, reducesDone: report.reduces, elapsedSeconds: report.elapsedSeconds,
            bytesRead: report.counters.framework["Map input bytes"] || 0, counters: report.counters,
            inputs: report.inputs, output: report.output, setup: report.setup,
          };
          return { job, workers: report.workers, attempts: report.attempts };
        }
        const token = new URLSearchParams(location.search).get("token");
        let snapshot = embedded;
        let sortKey = "startSeconds", sortAscending = true;

        function el(tag, text, className) {
          const node = document.createElement(tag);
          if (text !== undefined && text !== null) node.textContent = String(text);
          if (className) node.className = className;
          return node;
        }
        function bytes(n) {
          if (n === undefined || n === null) return "";
          const units = ["B", "KiB", "MiB", "GiB", "TiB"];
          let i = 0, v = n;
          while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
          return (i === 0 ? v : v.toFixed(1)) + " " + units[i];
        }
        function seconds(s) { return s.toFixed(s < 10 ? 2 : 1); }

        function renderOverview(job) {
          document.title = job.name + " (" + job.state + ")";
          document.getElementById("job-name").textContent = job.name;
          const state = document.getElementById("job-state");
          state.textContent = job.state;
          state.className = "state " + job.state;
          const rate = job.elapsedSeconds > 0 ? job.bytesRead / job.elapsedSeconds : 0;
          document.getElementById("job-summary").textContent =
            seconds(job.elapsedSeconds) + " s, " + bytes(job.bytesRead) + " read, " + bytes(rate) + "/s";
          document.getElementById("job-error").textContent = job.error || "";
          document.getElementById("maps-done").textContent = job.mapsDone + " / " + job.maps;
          document.getElementById("reduces-done").textContent = job.reducesDone + " / " + job.reduces;
          document.getElementById("maps-bar").style.width = (job.maps ? 100 * job.mapsDone / job.maps : 100) + "%";
          document.getElementById("reduces-bar").style.width = (job.reduces ? 100 * job.reducesDone / job.reduces : 100) + "%";
          document.getElementById("inputs").textContent = job.inputs.join(", ");
          document.getElementById("output").textContent = job.output;
          document.getElementById("combiner").textContent = job.setup.combiner;
          document.getElementById("partitioner").textContent = job.setup.partitioner;
          const parameters = Object.keys(job.setup.parameters).sort().map((name) => name + "=" + job.setup.parameters[name]);
          document.getElementById("parameters").textContent = parameters.length ? parameters.join(" ") : "none";
          const body = document.querySelector("#counters tbody");
          body.replaceChildren();
          const groups = [["framework", job.counters.framework], [job.name, job.counters.user], [job.name, job.counters.amounts || {}]];
          for (const [group, counters] of groups) {
            for (const name of Object.keys(counters).sort()) {
              const row = el("tr");
              row.dataset.counter = name;
              row.dataset.group = group;
              row.append(el("td", group, "muted"), el("td", name), el("td", counters[name], "num"));
              body.append(row);
            }
          }
        }

        function renderWorkers(workers) {
          const body = document.querySelector("#workers tbody");
          body.replaceChildren();
          for (const w of workers) {
            const row = el("tr");
            row.dataset.worker = w.id;
            const heard = w.secondsSinceHeard === undefined || w.secondsSinceHeard === null ? "" : seconds(w.secondsSinceHeard) + " s ago";
            row.append(el("td", w.id), el("td", w.host + " (pid " + w.processID + ")"), el("td", w.shuffle), el("td", w.slots, "num"),
              el("td", w.state + (w.reason ? ": " + w.reason : "")), el("td", w.running.join(" ")), el("td", w.succeeded, "num"),
              el("td", w.failed, "num"), el("td", heard, "num"));
            body.append(row);
          }
        }

        function renderFailures(attempts) {
          const failed = attempts.filter((a) => a.state === "failed");
          const list = document.getElementById("failure-list");
          list.replaceChildren();
          for (const a of failed) list.append(el("li", a.id + " on " + a.worker + ": " + (a.error || "no error given")));
          document.getElementById("failures").hidden = failed.length === 0;
        }

        function renderAttempts(attempts) {
          const filter = document.getElementById("state-filter").value;
          const shown = attempts.filter((a) => !filter || a.state === filter);
          shown.sort((a, b) => {
            const x = a[sortKey] ?? -1, y = b[sortKey] ?? -1;
            const order = x < y ? -1 : x > y ? 1 : (a.id < b.id ? -1 : 1);
            return sortAscending ? order : -order;
          });
          const body = document.querySelector("#attempts tbody");
          body.replaceChildren();
          for (const a of shown) {
            const row = el("tr");
            row.dataset.attempt = a.id;
            row.dataset.state = a.state;
            row.append(el("td", a.id + (a.backup ? " (backup)" : "")), el("td", a.worker), el("td", seconds(a.startSeconds), "num"),
              el("td", seconds(a.durationSeconds), "num"), el("td", a.state), el("td", bytes(a.bytesIn), "num"),
              el("td", bytes(a.bytesOut), "num"), el("td", a.error || "", "error"));
            body.append(row);
          }
        }

        const colors = { map: "#4a7fd6", reduce: "#3a9d6a", running: "#9cc0f0", failed: "#d2574a", killed: "#a3aab2" };
        function renderTimeline(snapshot) {
          const svg = document.getElementById("timeline");
          const ns = "http://www.w3.org/2000/svg";
          svg.replaceChildren();
          const slots = new Map(snapshot.workers.map((w) => [w.id, w.slots]));
          const byWorker = new Map();
          for (const a of snapshot.attempts) {
            if (!byWorker.has(a.worker)) byWorker.set(a.worker, []);
            byWorker.get(a.worker).push(a);
          }
          // Each worker's attempts go to its slots in start order: an attempt takes the first slot free by then.
          const rows = [];
          for (const worker of [...byWorker.keys()].sort()) {
            const lanes = [];
            const attempts = byWorker.get(worker).slice().sort((a, b) => a.startSeconds - b.startSeconds);
            const placed = [];
            for (const a of attempts) {
              let lane = lanes.findIndex((end) => end <= a.startSeconds + 1e-6);
              if (lane < 0) { lane = lanes.length; lanes.push(0); }
              lanes[lane] = a.startSeconds + a.durationSeconds;
              placed.push([lane, a]);
            }
            const count = Math.max(lanes.length, slots.get(worker) || 1);
            for (let lane = 0; lane < count; lane++) rows.push({ label: worker + " slot " + (lane + 1), attempts: [] });
            for (const [lane, a] of placed) rows[rows.length - count + lane].attempts.push(a);
          }
          // A loop, not a spread: a job may have more attempts than a call may have arguments.
          let end = Math.max(snapshot.job.elapsedSeconds, 0.001);
          for (const a of snapshot.attempts) end = Math.max(end, a.startSeconds + a.durationSeconds);
          const left = 150, width = 960, rowHeight = 18, top = 4;
          svg.setAttribute("height", String(top + rows.length * rowHeight + 20));
          const x = (s) => left + (width - left - 10) * s / end;
          rows.forEach((row, i) => {
            const label = document.createElementNS(ns, "text");
            label.setAttribute("x", "4");
            label.setAttribute("y", String(top + i * rowHeight + 12));
            label.textContent = row.label;
            svg.append(label);
            for (const a of row.attempts) {
              const bar = document.createElementNS(ns, "rect");
              bar.setAttribute("class", "attempt-bar");
              bar.setAttribute("data-attempt", a.id);
              bar.setAttribute("data-state", a.state);
              bar.setAttribute("x", String(x(a.startSeconds)));
              bar.setAttribute("y", String(top + i * rowHeight + 2));
              bar.setAttribute("width", String(Math.max(2, x(a.startSeconds + a.durationSeconds) - x(a.startSeconds))));
              bar.setAttribute("height", String(rowHeight - 4));
              bar.setAttribute("fill", a.state === "succeeded" ? colors[a.phase] : colors[a.state]);
              if (a.backup) { bar.setAttribute("stroke", "#1d2329"); bar.setAttribute("stroke-dasharray", "3 2"); }
              const title = document.createElementNS(ns, "title");
              title.textContent = a.id + " " + a.state + " on " + a.worker + ", " + seconds(a.durationSeconds) + " s" + (a.error ? ": " + a.error : "");
              bar.append(title);
              svg.append(bar);
            }
          });
          const axis = document.createElementNS(ns, "text");
          axis.setAttribute("x", String(width - 10));
          axis.setAttribute("y", String(top + rows.length * rowHeight + 14));
          axis.setAttribute("text-anchor", "end");
          axis.textContent = seconds(end) + " s";
          svg.append(axis);
        }

        function render() {
          if (!snapshot) return;
          renderOverview(snapshot.job);
          renderWorkers(snapshot.workers);
          renderTimeline(snapshot);
          renderFailures(snapshot.attempts);
          renderAttempts(snapshot.attempts);
          document.body.dataset.rendered = String(Number(document.body.dataset.rendered || 0) + 1);
          document.body.dataset.state = snapshot.job.state;
        }

        async function api(name) {
          const response = await fetch("api/v1/" + name + (token ? "?token=" + encodeURIComponent(token) : ""));
          if (!response.ok) throw new Error("api/v1/" + name + ": HTTP " + response.status);
          return response.json();
        }

        async function poll() {
          try {
            const [job, workers, attempts] = await Promise.all([api("job"), api("workers"), api("attempts")]);
            snapshot = { job, workers, attempts };
            render();
            // After the end, slowly: a chain's next job may begin.
            setTimeout(poll, job.state === "running" ? 1000 : 5000);
          } catch (error) {
            document.getElementById("job-summary").textContent = "cannot reach the master: " + error.message;
            setTimeout(poll, 3000);
          }
        }

        document.getElementById("state-filter").addEventListener("change", render);
        for (const th of document.querySelectorAll("th.sortable")) {
          th.addEventListener("click", () => {
            sortAscending = sortKey === th.dataset.key ? !sortAscending : true;
            sortKey = th.dataset.key;
            render();
          });
        }
        if (embedded) render(); else poll();
        </script>
        </body>
        </html>

        """#
}
