// The ingest half of the API load benchmark (bench/api_load.sh runs wrk
// against the dashboard and search at the same time): posts X API v2 lines
// to a running `earshot serve` at a fixed rate, listens on the live stream,
// and reports the achieved ingest rate and the time from each mention's
// POST to its Server-Sent Event (p50 / p99 / max).
//
//   api_load_bench --port P --token es_... --lines FILE [--rate 10000]
//                  [--seconds 60] [--batch 500] [--posters 4]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  int port = 8080;
  std::string token;
  std::string lines;
  double rate = 10'000;
  int seconds = 60;
  int batch = 500;
  int posters = 4;  // concurrent uploaders: the server's group commit merges their batches
};

// The tweet id of an X v2 stream line ({"data":{"id":"..."...): its first "id".
std::string TweetId(const std::string& line) {
  size_t at = line.find("\"id\":\"");
  if (at == std::string::npos) return "";
  at += 6;
  size_t end = line.find('"', at);
  return end == std::string::npos ? "" : "x:" + line.substr(at, end - at);
}

double Percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--port") a.port = std::stoi(v);
    else if (k == "--token") a.token = v;
    else if (k == "--lines") a.lines = v;
    else if (k == "--rate") a.rate = std::stod(v);
    else if (k == "--seconds") a.seconds = std::stoi(v);
    else if (k == "--batch") a.batch = std::stoi(v);
    else if (k == "--posters") a.posters = std::stoi(v);
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  if (a.token.empty() || a.lines.empty()) {
    std::cerr << "usage: api_load_bench --port P --token T --lines FILE [--rate R] [--seconds S] [--batch B]\n";
    return 2;
  }
  std::vector<std::string> lines;
  {
    std::ifstream in(a.lines);
    for (std::string l; std::getline(in, l);) {
      if (!l.empty()) lines.push_back(std::move(l));
    }
  }
  size_t needed = static_cast<size_t>(a.rate * a.seconds);
  if (lines.size() < needed) {
    std::cerr << "need " << needed << " lines, " << a.lines << " has " << lines.size() << "\n";
    return 2;
  }
  httplib::Headers auth = {{"Authorization", "Bearer " + a.token}};

  // Sent times by mention id, and the latencies the stream observed.
  std::mutex mu;
  std::unordered_map<std::string, Clock::time_point> sent;
  std::vector<double> latency_ms;
  std::atomic<bool> done{false};

  std::thread listener([&] {
    httplib::Client c("127.0.0.1", a.port);
    c.set_read_timeout(30, 0);
    std::string buf;
    c.Get("/api/v1/stream", auth, [&](const char* data, size_t n) {
      auto now = Clock::now();
      buf.append(data, n);
      size_t start = 0;
      for (size_t end; (end = buf.find("\n\n", start)) != std::string::npos; start = end + 2) {
        std::string_view ev(buf.data() + start, end - start);
        size_t d = ev.find("data: {");
        if (ev.rfind("event: mention", 0) != 0 || d == std::string_view::npos) continue;
        size_t at = ev.find("\"id\":\"", d);
        // The mention's own id: its "id" key sorts after "geo"; find the one
        // that starts with the source prefix.
        while (at != std::string_view::npos && ev.compare(at + 6, 2, "x:") != 0) at = ev.find("\"id\":\"", at + 1);
        if (at == std::string_view::npos) continue;
        size_t close = ev.find('"', at + 6);
        std::string id(ev.substr(at + 6, close - at - 6));
        std::lock_guard lock(mu);
        auto it = sent.find(id);
        if (it != sent.end()) {
          latency_ms.push_back(std::chrono::duration<double, std::milli>(now - it->second).count());
          sent.erase(it);
        }
      }
      buf.erase(0, start);
      return !done.load();
    });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  // Batch k is due at k * batch / rate seconds; poster p sends batches p,
  // p + posters, ... so a slow response does not delay the schedule.
  auto begin = Clock::now();
  std::atomic<int64_t> stored{0}, failed_posts{0};
  std::vector<double> post_ms;
  std::mutex post_mu;
  size_t batches = (needed + static_cast<size_t>(a.batch) - 1) / static_cast<size_t>(a.batch);
  std::vector<std::thread> posters;
  for (int p = 0; p < a.posters; ++p) {
    posters.emplace_back([&, p] {
      httplib::Client poster("127.0.0.1", a.port);
      poster.set_read_timeout(60, 0);
      poster.set_keep_alive(true);
      for (size_t k = static_cast<size_t>(p); k < batches; k += static_cast<size_t>(a.posters)) {
        size_t next = k * static_cast<size_t>(a.batch);
        auto due = begin + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(static_cast<double>(next) / a.rate));
        std::this_thread::sleep_until(due);
        size_t end = std::min(needed, next + static_cast<size_t>(a.batch));
        std::string body;
        auto t = Clock::now();
        {
          std::lock_guard lock(mu);
          for (size_t i = next; i < end; ++i) {
            body += lines[i];
            body += '\n';
            sent[TweetId(lines[i])] = t;
          }
        }
        auto r = poster.Post("/api/v1/ingest?format=x&name=load", auth, body, "application/x-ndjson");
        double ms = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
        {
          std::lock_guard lock(post_mu);
          post_ms.push_back(ms);
        }
        if (!r || r->status != 200) {
          ++failed_posts;
        } else {
          size_t at = r->body.find("\"stored\":");
          if (at != std::string::npos) stored += std::atoll(r->body.c_str() + at + 9);
        }
      }
    });
  }
  for (std::thread& t : posters) t.join();
  double elapsed = std::chrono::duration<double>(Clock::now() - begin).count();
  // Give the stream a moment to deliver the last events.
  for (int i = 0; i < 50; ++i) {
    {
      std::lock_guard lock(mu);
      if (sent.empty()) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  done.store(true);
  size_t missing;
  std::vector<double> lat;
  {
    std::lock_guard lock(mu);
    missing = sent.size();
    lat = latency_ms;
  }
  std::printf("ingest: %zu mentions in %.1f s = %.0f mentions/s (target %.0f), stored %lld, failed posts %lld\n",
              needed, elapsed, static_cast<double>(needed) / elapsed, a.rate, static_cast<long long>(stored.load()),
              static_cast<long long>(failed_posts.load()));
  std::printf("POST /api/v1/ingest (%d lines): p50 %.1f ms, p99 %.1f ms\n", a.batch, Percentile(post_ms, 0.5),
              Percentile(post_ms, 0.99));
  std::printf("arrival to SSE event: %zu events, p50 %.1f ms, p99 %.1f ms, max %.1f ms, missing %zu\n", lat.size(),
              Percentile(lat, 0.5), Percentile(lat, 0.99), lat.empty() ? 0.0 : *std::max_element(lat.begin(), lat.end()),
              missing);
  // The listener ends at its next event or keep-alive.
  listener.detach();
  return 0;
}
