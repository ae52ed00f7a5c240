// Progressive enhancement for <video class="tracked-video">: without this script the video still plays.
// Reports watched time and position at quarter points and on pause/end (not on every timeupdate), and
// resumes from the last position. The server decides completion from the watched time it has summed.
(function () {
  "use strict";
  function track(video) {
    if (video.dataset.tracked) { return; }
    video.dataset.tracked = "1";
    var url = video.dataset.reportUrl, csrf = video.dataset.csrf;
    var watched = 0, last = null, quarters = {}, started = false;
    var note = video.parentNode.querySelector(".video-progress");
    function duration() { return parseFloat(video.dataset.duration) || video.duration || 0; }
    function send(event) {
      var body = JSON.stringify({ event: event, position: video.currentTime || 0,
        watched: Math.min(watched, 3600), duration: duration() });
      watched = 0;
      return fetch(url, { method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, body: body })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && note) { note.textContent = data.percent + "%"; }
          if (data && data.completed) { video.dataset.completed = "1"; }
        }).catch(function () {});
    }
    video.addEventListener("loadedmetadata", function () {
      var resume = parseFloat(video.dataset.resume);
      if (resume > 0 && resume < video.duration - 1) { video.currentTime = resume; }
    });
    video.addEventListener("play", function () { if (!started) { started = true; send("play"); } last = video.currentTime; });
    video.addEventListener("timeupdate", function () {
      var now = video.currentTime;
      // Count only continuous playback: a seek jumps more than a couple of seconds.
      if (last !== null && now > last && now - last < 2.5) { watched += now - last; }
      last = now;
      var d = duration();
      if (d > 0) {
        var q = Math.floor((now / d) * 4);
        if (q >= 1 && q <= 3 && !quarters[q]) { quarters[q] = true; send("progress"); }
      }
    });
    video.addEventListener("seeking", function () { last = null; });
    video.addEventListener("pause", function () { if (!video.ended) { send("pause"); } });
    video.addEventListener("ended", function () { send("ended"); });
  }
  function init() { Array.prototype.forEach.call(document.querySelectorAll("video.tracked-video[data-report-url]"), track); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
