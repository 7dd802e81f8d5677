/* The episode player: our own controls around the page's <audio> element.
 *
 * Progressive enhancement: without JavaScript the browser's own player and
 * the chapter and transcript links (the MP3 at #t=seconds) keep working.
 * With it: play/pause, 15 s back, 30 s forward, speed, a position slider with
 * the chapters marked on it, the chapter list and the transcript seek, the
 * current chapter and transcript line are marked while it plays, and the
 * position is remembered per episode in this browser only (localStorage; no
 * cookie, nothing is sent anywhere). Every text comes from data-msg-*
 * attributes, translated on the server. No third-party code, no inline
 * style: positions are set through the CSSOM, which the CSP allows. */
(function () {
  "use strict";

  var BACK_S = 15, FORWARD_S = 30, KEY_STEP_S = 5, PAGE_STEP_S = 60;
  var SAVE_EVERY_MS = 5000, RESUME_MIN_S = 5, END_MARGIN_S = 15;
  var reduceMotion = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // Private browsing, a full disk or a blocked third-party frame: the
  // player works the same, it only forgets.
  var store = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* forget */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* forget */ }
    }
  };

  function clock(seconds) {
    var s = Math.max(0, Math.floor(seconds || 0));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = (h && m < 10 ? "0" : "") + m, ss = (r < 10 ? "0" : "") + r;
    return (h ? h + ":" : "") + mm + ":" + ss;
  }

  function Player(root) {
    this.root = root;
    this.audio = root.querySelector("audio");
    this.controls = root.querySelector(".player-controls");
    this.playButton = root.querySelector(".player-play");
    this.playLabel = root.querySelector(".player-play .label");
    this.slider = root.querySelector(".player-slider");
    this.fill = root.querySelector(".player-fill");
    this.timeText = root.querySelector(".player-time");
    this.speed = root.querySelector(".player-speed");
    this.status = root.querySelector(".player-status");
    this.lang = document.documentElement.lang || "en";
    this.plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(this.lang) : null;
    this.key = "mediahub:position:" + root.getAttribute("data-guid");
    this.duration = parseFloat(root.getAttribute("data-duration")) || 0;
    this.pending = null;
    this.lastSaved = 0;
    this.chapters = [];
    this.cues = [];
    this.currentChapter = null;
    this.currentCue = null;
    this.dragging = false;
    this.stopAt = null;
  }

  Player.prototype.msg = function (name) {
    return this.root.getAttribute("data-msg-" + name) || "";
  };

  // "3 Minuten 20 Sekunden": the slider's value in words for screen readers.
  Player.prototype.words = function (seconds) {
    var s = Math.max(0, Math.round(seconds || 0));
    var parts = [], units = [["hour", Math.floor(s / 3600)],
      ["minute", Math.floor((s % 3600) / 60)], ["second", s % 60]];
    var self = this;
    units.forEach(function (unit) {
      if (!unit[1]) return;
      var form = self.plural ? self.plural.select(unit[1]) : (unit[1] === 1 ? "one" : "other");
      var text = self.msg(unit[0] + "-" + (form === "one" ? "one" : "other"));
      parts.push(text.replace("{n}", String(unit[1])));
    });
    return parts.length ? parts.join(" ") : this.msg("second-other").replace("{n}", "0");
  };

  // Chapter and transcript links carry their start (and end) in seconds.
  Player.prototype.collect = function (selector) {
    var list = [];
    document.querySelectorAll(selector).forEach(function (link) {
      var start = parseFloat(link.getAttribute("data-seek"));
      if (!isFinite(start)) return;
      var end = parseFloat(link.getAttribute("data-end"));
      list.push({ link: link, start: start, end: isFinite(end) ? end : null,
        title: link.getAttribute("data-title") || "" });
    });
    list.sort(function (a, b) { return a.start - b.start; });
    return list;
  };

  Player.prototype.now = function () {
    if (this.pending !== null) return this.pending;
    return this.audio.currentTime || 0;
  };

  Player.prototype.total = function () {
    var d = this.audio.duration;
    return isFinite(d) && d > 0 ? d : this.duration;
  };

  Player.prototype.seek = function (seconds) {
    this.stopAt = null;
    var total = this.total();
    var t = Math.max(0, total ? Math.min(seconds, total) : seconds);
    if (this.audio.readyState >= 1) {
      this.audio.currentTime = t;
      this.pending = null;
    } else {
      // preload="none": nothing is loaded until play; seek once it is.
      this.pending = t;
    }
    this.render();
    this.remember(true);
  };

  Player.prototype.play = function () {
    var started = this.audio.play();
    var self = this;
    if (started && started.catch) {
      started.catch(function (error) {
        if (error && error.name === "NotAllowedError") return;
        self.say(self.msg("error"));
      });
    }
  };

  Player.prototype.toggle = function () {
    if (this.audio.paused) this.play(); else this.audio.pause();
  };

  Player.prototype.say = function (text) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.hidden = !text;
  };

  Player.prototype.chapterAt = function (list, t) {
    var found = null;
    for (var i = 0; i < list.length && list[i].start <= t + 0.05; i++) found = list[i];
    if (found && found.end !== null && t >= found.end) return null;
    return found;
  };

  Player.prototype.mark = function (entry, previous) {
    if (entry === previous) return entry;
    if (previous) {
      previous.link.classList.remove("is-current");
      previous.link.removeAttribute("aria-current");
    }
    if (entry) {
      entry.link.classList.add("is-current");
      entry.link.setAttribute("aria-current", "true");
    }
    return entry;
  };

  // Keep the current transcript line in view inside its own box only: the
  // page itself never moves under the reader.
  Player.prototype.follow = function (entry) {
    if (!entry) return;
    var box = entry.link.closest(".cues");
    if (!box || box.scrollHeight <= box.clientHeight) return;
    if (box.contains(document.activeElement) && document.activeElement !== entry.link) return;
    var item = entry.link.closest("li") || entry.link;
    var top = item.offsetTop - box.offsetTop;
    if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) {
      var target = Math.max(0, top - box.clientHeight / 3);
      if (box.scrollTo) box.scrollTo({ top: target, behavior: reduceMotion ? "auto" : "smooth" });
      else box.scrollTop = target;
    }
  };

  Player.prototype.render = function () {
    var t = this.now(), total = this.total();
    var fraction = total ? Math.min(1, t / total) : 0;
    this.fill.style.width = (fraction * 100).toFixed(3) + "%";
    this.timeText.textContent = clock(t) + " / " + clock(total);
    this.slider.setAttribute("aria-valuemax", String(Math.round(total)));
    this.slider.setAttribute("aria-valuenow", String(Math.round(t)));
    var chapter = this.chapterAt(this.chapters, t);
    var text = this.msg("position").replace("{position}", this.words(t))
      .replace("{duration}", this.words(total));
    if (chapter && chapter.title) {
      text += ", " + this.msg("chapter").replace("{title}", chapter.title);
    }
    this.slider.setAttribute("aria-valuetext", text);
    this.currentChapter = this.mark(chapter, this.currentChapter);
    var cue = this.chapterAt(this.cues, t);
    if (cue !== this.currentCue) {
      this.currentCue = this.mark(cue, this.currentCue);
      if (!this.audio.paused) this.follow(cue);
    }
  };

  Player.prototype.renderPlaying = function () {
    var playing = !this.audio.paused;
    this.playLabel.textContent = this.msg(playing ? "pause" : "play");
    this.playButton.classList.toggle("is-playing", playing);
  };

  Player.prototype.remember = function (force) {
    var t = this.now(), total = this.total(), stamp = Date.now();
    if (!force && stamp - this.lastSaved < SAVE_EVERY_MS) return;
    this.lastSaved = stamp;
    if (t < RESUME_MIN_S || (total && t > total - END_MARGIN_S)) store.remove(this.key);
    else store.set(this.key, String(Math.floor(t)));
  };

  Player.prototype.restore = function () {
    var saved = parseFloat(store.get(this.key));
    var total = this.total();
    if (!isFinite(saved) || saved < RESUME_MIN_S || (total && saved > total - END_MARGIN_S)) return;
    this.pending = saved;
    this.say(this.msg("resume").replace("{time}", clock(saved)));
  };

  Player.prototype.fromPointer = function (event) {
    var box = this.slider.getBoundingClientRect();
    var fraction = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
    this.seek(fraction * this.total());
  };

  Player.prototype.onKey = function (event) {
    var t = this.now(), step = null;
    switch (event.key) {
      case "ArrowLeft": case "ArrowDown": step = t - KEY_STEP_S; break;
      case "ArrowRight": case "ArrowUp": step = t + KEY_STEP_S; break;
      case "PageDown": step = t - PAGE_STEP_S; break;
      case "PageUp": step = t + PAGE_STEP_S; break;
      case "Home": step = 0; break;
      case "End": step = this.total(); break;
      case " ": case "Enter": event.preventDefault(); this.toggle(); return;
      default: return;
    }
    event.preventDefault();
    this.seek(step);
  };

  Player.prototype.placeMarks = function () {
    var total = this.total(), track = this.root.querySelector(".player-marks");
    if (!track) return;
    track.textContent = "";
    if (!total) return;
    this.chapters.forEach(function (chapter) {
      if (chapter.start <= 0 || chapter.start >= total) return;
      var mark = document.createElement("span");
      mark.className = "player-mark";
      mark.style.left = (chapter.start / total * 100).toFixed(3) + "%";
      track.appendChild(mark);
    });
  };

  Player.prototype.bindLinks = function (list) {
    var self = this;
    list.forEach(function (entry) {
      entry.link.addEventListener("click", function (event) {
        event.preventDefault();
        self.seek(entry.start);
        self.play();
      });
    });
  };

  // A clip's link plays its passage only: the player pauses at its end.
  Player.prototype.bindPassages = function (list) {
    var self = this;
    list.forEach(function (entry) {
      entry.link.addEventListener("click", function (event) {
        event.preventDefault();
        self.seek(entry.start);
        self.stopAt = entry.end;
        self.play();
      });
    });
  };

  Player.prototype.bind = function () {
    var self = this, audio = this.audio;
    this.playButton.addEventListener("click", function () { self.toggle(); });
    this.root.querySelectorAll("[data-skip]").forEach(function (button) {
      button.addEventListener("click", function () {
        self.seek(self.now() + parseFloat(button.getAttribute("data-skip")));
      });
    });
    this.speed.addEventListener("change", function () {
      var rate = parseFloat(self.speed.value);
      if (!isFinite(rate)) return;
      audio.playbackRate = rate;
      audio.defaultPlaybackRate = rate;
      store.set("mediahub:speed", String(rate));
    });
    this.slider.addEventListener("keydown", function (event) { self.onKey(event); });
    this.slider.addEventListener("pointerdown", function (event) {
      self.dragging = true;
      if (self.slider.setPointerCapture) self.slider.setPointerCapture(event.pointerId);
      self.slider.focus();
      self.fromPointer(event);
    });
    this.slider.addEventListener("pointermove", function (event) {
      if (self.dragging) self.fromPointer(event);
    });
    ["pointerup", "pointercancel"].forEach(function (name) {
      self.slider.addEventListener(name, function () { self.dragging = false; });
    });
    audio.addEventListener("loadedmetadata", function () {
      if (self.pending !== null) {
        audio.currentTime = Math.min(self.pending, self.total());
        self.pending = null;
      }
      self.placeMarks();
      self.render();
    });
    audio.addEventListener("timeupdate", function () {
      if (self.stopAt !== null && audio.currentTime >= self.stopAt) {
        self.stopAt = null;
        audio.pause();
      }
      if (self.pending === null) { self.render(); self.remember(false); }
    });
    audio.addEventListener("play", function () { self.say(""); self.renderPlaying(); });
    audio.addEventListener("pause", function () { self.renderPlaying(); self.remember(true); });
    audio.addEventListener("ended", function () {
      store.remove(self.key);
      self.renderPlaying();
    });
    audio.addEventListener("error", function () { self.say(self.msg("error")); });
    window.addEventListener("pagehide", function () {
      if (!audio.paused || self.pending !== null) self.remember(true);
    });
  };

  // Our controls take the browser's place at once, before the rest of the
  // page is even read (this script is loaded right after the player), so
  // nothing below them moves; the chapter and transcript links further down
  // are found once the whole page is there.
  Player.prototype.start = function () {
    var savedRate = parseFloat(store.get("mediahub:speed"));
    if (isFinite(savedRate) && this.speed.querySelector('option[value="' + savedRate + '"]')) {
      this.speed.value = String(savedRate);
      this.audio.playbackRate = this.audio.defaultPlaybackRate = savedRate;
    }
    this.audio.controls = false;
    this.controls.hidden = false;
    this.root.classList.add("is-enhanced");
    this.restore();
    this.bind();
    this.render();
    this.renderPlaying();
  };

  Player.prototype.findLinks = function () {
    this.chapters = this.collect(".player-chapter-link");
    this.cues = this.collect(".player-cue-link");
    this.bindLinks(this.chapters);
    this.bindLinks(this.cues);
    this.bindPassages(this.collect(".player-passage-link"));
    this.placeMarks();
    this.render();
  };

  document.querySelectorAll("[data-player]").forEach(function (root) {
    // The script may be on a page twice (two players): each player once.
    if (root.hasAttribute("data-player-ready")) return;
    root.setAttribute("data-player-ready", "");
    var player = new Player(root);
    if (!player.audio || !player.controls || !player.slider) return;
    player.start();
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { player.findLinks(); });
    } else {
      player.findLinks();
    }
  });
})();
