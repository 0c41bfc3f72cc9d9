// The quiz page's own script, loaded before textual-serve's.
//
// 1. The page never fetches an address it was given in its own URL (textual.js
//    would fetch a `ping` parameter): the parameter is dropped before it runs.
// 2. The websocket goes to the address the page came from, whatever name that used.
// 3. When the server closes the tab, it says why in the close frame's reason
//    (a word); the dialog shows what that means, in sentences.
(function () {
  "use strict";
  var url = new URL(window.location.href);
  if (url.searchParams.has("ping")) {
    url.searchParams.delete("ping");
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  var SAVED = " Every answer you gave is saved: open the quiz again, type the same name, and carry on with your code.";
  var WORDS = {
    ended: "This quiz has closed. Every answer you gave is saved.",
    idle: "This quiz was closed because nothing happened in it for a long time." + SAVED,
    crashed: "Sorry: this quiz stopped because of a fault." + SAVED,
    stuck: "Sorry: this quiz stopped answering, so it was closed." + SAVED,
    stopped: "Your teacher has stopped the quiz server." + " Every answer you gave is saved.",
    full: "The class is full: every place on this server is taken. Try again in a minute, or ask your teacher."
  };

  var Native = window.WebSocket;
  function QuizSocket(address, protocols) {
    var socket = protocols === undefined ? new Native(address) : new Native(address, protocols);
    socket.addEventListener("close", function (event) {
      var words = WORDS[event.reason] || WORDS.ended;
      var message = document.getElementById("closed-message");
      if (message) {
        message.textContent = words;
      }
    });
    return socket;
  }
  QuizSocket.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
    QuizSocket[name] = Native[name];
  });
  window.WebSocket = QuizSocket;

  function restart() {
    var here = new URL(window.location.href);
    here.searchParams.delete("delay");
    window.location.href = here.pathname + here.search;
  }

  // The websocket is this page's own address, by whatever name the student typed
  // (textual.js reads it when the page has loaded, after this).
  document.addEventListener("DOMContentLoaded", function () {
    var terminal = document.getElementById("terminal");
    var address = new URL("ws", window.location.href);
    address.protocol = address.protocol === "https:" ? "wss:" : "ws:";
    address.search = "";
    terminal.dataset.sessionWebsocketUrl = address.href;
    document.querySelectorAll("button.restart").forEach(function (button) {
      button.addEventListener("click", restart);
    });
  });
})();
