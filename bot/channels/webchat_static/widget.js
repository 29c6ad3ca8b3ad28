/*
 * ICLEI assistant chat widget. Embed it on any page with one tag:
 *
 *   <script src="https://BOT/webhooks/webchat/widget.js" data-lang="ja"></script>
 *
 * data-lang ("ja" or "en") is the starting language; without it the page's <html lang>
 * decides. The widget finds the bot from its own src, loads widget.css from there, and
 * talks to BOT/webhooks/webchat/webhook (the site's origin must be in the bot's
 * WEBCHAT_ALLOWED_ORIGINS).
 *
 * Everything lives in a shadow root, so the host page's CSS cannot reach it, and every
 * text is put in with textContent / DOM nodes, never parsed as HTML.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.src || window.__icleiChatLoaded) {
    return;
  }
  window.__icleiChatLoaded = true;

  var BASE = new URL(".", script.src).href;
  var WEBHOOK_URL = BASE + "webhook";
  var CSS_URL = BASE + "widget.css";
  var STORAGE_KEY = "iclei-chat-v1:" + BASE;
  var P = "iclei-chat-";
  var MAX_CHARS = 2000; // the channel refuses longer messages (MAX_MESSAGE_CHARS)
  var HISTORY_LIMIT = 200;
  var RETRY_MIN_MS = 1000;
  var RETRY_MAX_MS = 15000;
  var SVG_NS = "http://www.w3.org/2000/svg";

  var STRINGS = {
    en: {
      title: "ICLEI assistant",
      subtitle: "Local Governments for Sustainability",
      open: "Open chat with the ICLEI assistant",
      launcher: "Chat",
      close: "Close chat",
      newConversation: "New conversation",
      language: "Language",
      log: "Conversation with the ICLEI assistant",
      input: "Type your message",
      placeholder: "Ask about ICLEI…",
      send: "Send",
      typing: "The assistant is typing…",
      offline: "Offline — retrying…",
      tooLong: "This message is too long (at most 2,000 characters).",
      notSent: "This message could not be sent.",
      image: "Image from the assistant",
      you: "You: ",
      bot: "Assistant: ",
      newTab: " (opens in a new tab)",
      choices: "Choices",
    },
    ja: {
      title: "イクレイ アシスタント",
      subtitle: "持続可能な都市と地域をめざす自治体協議会",
      open: "イクレイ アシスタントとのチャットを開く",
      launcher: "チャット",
      close: "チャットを閉じる",
      newConversation: "新しい会話",
      language: "言語",
      log: "イクレイ アシスタントとの会話",
      input: "メッセージを入力",
      placeholder: "イクレイについて質問する…",
      send: "送信",
      typing: "アシスタントが入力中です…",
      offline: "オフラインです。再接続しています…",
      tooLong: "メッセージが長すぎます（2,000文字まで）。",
      notSent: "このメッセージは送信できませんでした。",
      image: "アシスタントからの画像",
      you: "あなた：",
      bot: "アシスタント：",
      newTab: "（新しいタブで開きます）",
      choices: "選択肢",
    },
  };
  var LANGUAGE_NAMES = { ja: "日本語", en: "English" };

  function normalizeLang(value) {
    return /^ja(?:[-_]|$)/i.test(String(value || "").trim()) ? "ja" : "en";
  }

  function pageLang() {
    return normalizeLang(
      script.getAttribute("data-lang") || document.documentElement.lang || navigator.language
    );
  }

  function newSenderId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return (
      "wc-" +
      Array.prototype.map
        .call(bytes, function (b) {
          return (b + 0x100).toString(16).slice(1);
        })
        .join("")
    );
  }

  function greetPayload(lang) {
    return '/greet{"language": "' + lang + '"}';
  }

  // --- state: sender id, rendered history and unsent messages, kept in localStorage ---
  function freshState(lang) {
    return { v: 1, sender: newSenderId(), lang: lang, greeted: false, open: false, history: [], queue: [] };
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (
        saved &&
        saved.v === 1 &&
        typeof saved.sender === "string" &&
        Array.isArray(saved.history) &&
        Array.isArray(saved.queue)
      ) {
        saved.lang = saved.lang === "ja" ? "ja" : "en";
        return saved;
      }
    } catch (error) {
      // Storage blocked (privacy settings) or damaged: start afresh, in memory only.
    }
    return freshState(pageLang());
  }

  function saveState() {
    if (state.history.length > HISTORY_LIMIT) {
      state.history = state.history.slice(-HISTORY_LIMIT);
    }
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (error) {
      // Quota or privacy mode: the conversation still works, it just won't survive a reload.
    }
  }

  var state = loadState();

  // --- DOM helpers ---
  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className
        .split(" ")
        .map(function (name) {
          return P + name;
        })
        .join(" ");
    }
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    return node;
  }

  function icon(pathData) {
    var svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", P + "icon");
    var path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  function visuallyHidden(text) {
    var span = el("span", "sr-only");
    span.textContent = text;
    return span;
  }

  function safeUrl(url, schemes) {
    try {
      var parsed = new URL(url);
      return schemes.indexOf(parsed.protocol) >= 0 ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  // Markdown links [label](url), bare URLs ("https://..." or "www.iclei.org/japan", as the
  // office cards give them) and e-mail addresses become links; the rest stays text.
  // Trailing punctuation is not part of a bare URL ("see https://x.org.").
  var LINK_PATTERN =
    /\[([^\]\n]{1,300})\]\(([^)\s]{1,2000})\)|((?:https?:\/\/|www\.)[^\s<>"'「」（）、。]+)|([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;

  function link(href, label) {
    var a = el("a", "link", { href: href, target: "_blank", rel: "noopener noreferrer" });
    a.textContent = label;
    a.appendChild(visuallyHidden(t("newTab")));
    return a;
  }

  function appendLine(parent, line) {
    var last = 0;
    var match;
    LINK_PATTERN.lastIndex = 0;
    while ((match = LINK_PATTERN.exec(line)) !== null) {
      var text = match[0];
      var node = null;
      if (match[1] !== undefined) {
        var href = safeUrl(match[2], ["https:", "http:", "mailto:"]);
        node = href ? link(href, match[1]) : null;
      } else if (match[3] !== undefined) {
        var trailing = /[.,;:!?)\]]+$/.exec(match[3]);
        text = trailing ? match[3].slice(0, -trailing[0].length) : match[3];
        var url = safeUrl(/^www\./i.test(text) ? "https://" + text : text, ["https:", "http:"]);
        node = url ? link(url, text) : null;
      } else {
        node = link("mailto:" + match[4], match[4]);
      }
      if (!node) {
        continue; // e.g. [label](javascript:...): left as plain text
      }
      parent.appendChild(document.createTextNode(line.slice(last, match.index)));
      parent.appendChild(node);
      last = match.index + text.length;
      LINK_PATTERN.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function appendRichText(parent, text) {
    String(text)
      .split("\n")
      .forEach(function (line, index) {
        if (index > 0) {
          parent.appendChild(document.createElement("br"));
        }
        appendLine(parent, line);
      });
  }

  function t(key) {
    return STRINGS[state.lang][key];
  }

  // --- the widget's DOM ---
  var host = document.createElement("div");
  host.id = P + "host";
  // Inline !important beats any host-page rule, so the page cannot hide or restyle the host.
  host.style.setProperty("all", "initial", "important");
  var shadow = host.attachShadow({ mode: "open" });

  var stylesheet = el("link", "", { rel: "stylesheet", href: CSS_URL });
  var root = el("div", "root");
  root.hidden = true; // until widget.css has loaded: no flash of unstyled widget
  function reveal() {
    root.hidden = false;
  }
  stylesheet.addEventListener("load", reveal);
  stylesheet.addEventListener("error", reveal);

  var launcher = el("button", "launcher", { type: "button", "aria-expanded": "false", "aria-controls": P + "panel" });
  launcher.appendChild(
    icon("M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z")
  );
  var launcherLabel = el("span", "launcher-label");
  launcher.appendChild(launcherLabel);

  var panel = el("section", "panel", { id: P + "panel", role: "dialog" });
  panel.hidden = true;

  var header = el("div", "header");
  var titleBox = el("div", "titles");
  var title = el("h2", "title", { id: P + "title" });
  var subtitle = el("p", "subtitle");
  titleBox.appendChild(title);
  titleBox.appendChild(subtitle);
  panel.setAttribute("aria-labelledby", P + "title");

  var controls = el("div", "controls");
  var langGroup = el("div", "lang", { role: "group" });
  var langButtons = {};
  ["ja", "en"].forEach(function (code) {
    var button = el("button", "lang-button", { type: "button", lang: code, "data-lang": code });
    button.textContent = LANGUAGE_NAMES[code];
    button.addEventListener("click", function () {
      switchLanguage(code);
    });
    langButtons[code] = button;
    langGroup.appendChild(button);
  });
  var newButton = el("button", "icon-button new", { type: "button" });
  newButton.appendChild(icon("M17.65 6.35A7.95 7.95 0 0 0 12 4a8 8 0 1 0 7.74 10h-2.08A6 6 0 1 1 12 6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z"));
  var closeButton = el("button", "icon-button close", { type: "button" });
  closeButton.appendChild(icon("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z"));
  controls.appendChild(langGroup);
  controls.appendChild(newButton);
  controls.appendChild(closeButton);
  header.appendChild(titleBox);
  header.appendChild(controls);

  var offlineBanner = el("div", "offline", { role: "status" });
  offlineBanner.hidden = true;

  var log = el("div", "log", { role: "log", "aria-live": "polite", tabindex: "0" });

  var typing = el("div", "typing", { role: "status" });
  var typingText = el("span", "sr-only");
  typing.appendChild(el("span", "dot", { "aria-hidden": "true" }));
  typing.appendChild(el("span", "dot", { "aria-hidden": "true" }));
  typing.appendChild(el("span", "dot", { "aria-hidden": "true" }));
  typing.appendChild(typingText);
  typing.hidden = true;

  var form = el("form", "form");
  var input = el("textarea", "input", { rows: "1", maxlength: String(MAX_CHARS) });
  var sendButton = el("button", "send", { type: "submit" });
  sendButton.appendChild(icon("M2.01 21 23 12 2.01 3 2 10l15 2-15 2z"));
  form.appendChild(input);
  form.appendChild(sendButton);

  panel.appendChild(header);
  panel.appendChild(offlineBanner);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);
  shadow.appendChild(stylesheet);
  shadow.appendChild(root);

  // --- rendering ---
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function renderUser(entry) {
    var row = el("div", "message user");
    var bubble = el("div", "bubble");
    bubble.appendChild(visuallyHidden(t("you")));
    appendRichText(bubble, entry.text);
    row.appendChild(bubble);
    return row;
  }

  function renderNote(entry) {
    var row = el("div", "message note");
    row.textContent = STRINGS[state.lang][entry.key] || "";
    return row;
  }

  function renderBot(entry) {
    var row = el("div", "message bot");
    var message = entry.message || {};
    if (typeof message.text === "string" && message.text) {
      var bubble = el("div", "bubble");
      bubble.appendChild(visuallyHidden(t("bot")));
      appendRichText(bubble, message.text);
      row.appendChild(bubble);
    }
    var imageUrl = typeof message.image === "string" ? safeUrl(message.image, ["https:", "http:"]) : null;
    if (imageUrl) {
      var img = el("img", "image", { src: imageUrl, loading: "lazy", referrerpolicy: "no-referrer" });
      var alt = message.alt || (message.custom && message.custom.alt);
      img.alt = typeof alt === "string" && alt ? alt : t("image");
      row.appendChild(img);
    }
    var attachment = typeof message.attachment === "string" ? safeUrl(message.attachment, ["https:", "http:"]) : null;
    if (attachment) {
      var box = el("div", "bubble");
      box.appendChild(link(attachment, attachment));
      row.appendChild(box);
    }
    var buttons = Array.isArray(message.buttons) ? message.buttons : [];
    buttons = buttons.filter(function (b) {
      return b && typeof b.title === "string" && typeof b.payload === "string";
    });
    if (buttons.length) {
      var group = el("div", "choices", { role: "group", "aria-label": t("choices") });
      buttons.forEach(function (b) {
        var button = el("button", "choice", { type: "button" });
        button.textContent = b.title;
        button.disabled = !!entry.used;
        button.addEventListener("click", function () {
          choose(entry, group, b);
        });
        group.appendChild(button);
      });
      row.appendChild(group);
    }
    return row;
  }

  function renderEntry(entry) {
    if (entry.who === "user") return renderUser(entry);
    if (entry.who === "note") return renderNote(entry);
    return renderBot(entry);
  }

  function addEntry(entry) {
    state.history.push(entry);
    log.appendChild(renderEntry(entry));
    scrollToEnd();
  }

  function renderAll() {
    while (log.firstChild) {
      log.removeChild(log.firstChild);
    }
    state.history.forEach(function (entry) {
      log.appendChild(renderEntry(entry));
    });
    scrollToEnd();
  }

  function applyLanguage() {
    root.setAttribute("lang", state.lang);
    launcher.setAttribute("aria-label", t("open"));
    launcherLabel.textContent = t("launcher");
    title.textContent = t("title");
    subtitle.textContent = t("subtitle");
    langGroup.setAttribute("aria-label", t("language"));
    Object.keys(langButtons).forEach(function (code) {
      langButtons[code].setAttribute("aria-pressed", String(code === state.lang));
    });
    newButton.setAttribute("aria-label", t("newConversation"));
    newButton.title = t("newConversation");
    closeButton.setAttribute("aria-label", t("close"));
    closeButton.title = t("close");
    offlineBanner.textContent = t("offline");
    log.setAttribute("aria-label", t("log"));
    typingText.textContent = t("typing");
    input.setAttribute("aria-label", t("input"));
    input.placeholder = t("placeholder");
    sendButton.setAttribute("aria-label", t("send"));
    sendButton.title = t("send");
  }

  // --- sending: one message at a time, in order; kept until the bot has answered ---
  var inFlight = false;
  var offline = false;
  var retryDelay = 0;
  var retryTimer = null;

  function setOffline(value) {
    offline = value;
    offlineBanner.hidden = !value;
    input.disabled = value;
    sendButton.disabled = value;
    root.classList.toggle(P + "is-offline", value);
  }

  function updateTyping() {
    typing.hidden = !(inFlight && !offline);
  }

  function enqueue(payload) {
    state.queue.push({ payload: payload, lang: state.lang });
    saveState();
    pump();
  }

  function scheduleRetry() {
    retryDelay = Math.min(retryDelay ? retryDelay * 2 : RETRY_MIN_MS, RETRY_MAX_MS);
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      pump();
    }, retryDelay);
  }

  function retryNow() {
    if (retryTimer !== null) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
      pump();
    }
  }

  function pump() {
    if (inFlight || retryTimer !== null || !state.queue.length) {
      return;
    }
    var item = state.queue[0];
    var sender = state.sender;
    inFlight = true;
    updateTyping();
    fetch(WEBHOOK_URL, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      credentials: "omit",
      cache: "no-store",
      body: JSON.stringify({
        sender: sender,
        message: item.payload,
        metadata: { language: item.lang || state.lang, page_url: window.location.origin + window.location.pathname },
      }),
    })
      .then(function (response) {
        if (response.ok) {
          return response.json().then(function (messages) {
            return { messages: Array.isArray(messages) ? messages : [] };
          });
        }
        if (response.status === 429) {
          // Too many messages: show the server's polite answer, keep the message and send
          // it again after Retry-After. Not "offline": the server is there.
          var seconds = parseInt(response.headers.get("Retry-After"), 10);
          return response
            .json()
            .catch(function () {
              return [];
            })
            .then(function (messages) {
              return {
                slowDown: Math.min(seconds > 0 ? seconds : 5, 120) * 1000,
                messages: Array.isArray(messages) ? messages : [],
              };
            });
        }
        if (response.status >= 500 || response.status === 408) {
          throw new Error("server unavailable: " + response.status);
        }
        return { refused: response.status }; // 4xx: sending it again would not help
      })
      .then(
        function (result) {
          inFlight = false;
          retryDelay = 0;
          setOffline(false);
          if (result.slowDown) {
            if (sender === state.sender && !item.slowed) {
              item.slowed = true; // the polite answer once, not at every retry
              (result.messages || []).forEach(function (message) {
                if (message && typeof message === "object") {
                  addEntry({ who: "bot", message: message });
                }
              });
              saveState();
            }
            retryTimer = window.setTimeout(function () {
              retryTimer = null;
              pump();
            }, result.slowDown);
            updateTyping();
            return;
          }
          if (sender === state.sender) {
            state.queue.shift();
            if (result.refused) {
              addEntry({ who: "note", key: result.refused === 413 ? "tooLong" : "notSent" });
            }
            (result.messages || []).forEach(function (message) {
              if (message && typeof message === "object") {
                addEntry({ who: "bot", message: message });
              }
            });
            saveState();
          }
          updateTyping();
          pump();
        },
        function () {
          inFlight = false;
          if (sender === state.sender) {
            setOffline(true); // the message stays first in the queue
            scheduleRetry();
          }
          updateTyping();
          pump();
        }
      );
  }

  window.addEventListener("online", retryNow);

  // --- user actions ---
  function submit() {
    var text = input.value;
    if (offline || !text.trim()) {
      return;
    }
    if (text.length > MAX_CHARS) {
      addEntry({ who: "note", key: "tooLong" });
      saveState();
      return;
    }
    input.value = "";
    autoResize();
    addEntry({ who: "user", text: text });
    enqueue(text);
  }

  function choose(entry, group, button) {
    if (entry.used) {
      return;
    }
    entry.used = true;
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) {
      b.disabled = true;
    });
    addEntry({ who: "user", text: button.title });
    enqueue(button.payload);
    input.focus();
  }

  function greetIfNew() {
    if (!state.greeted) {
      state.greeted = true;
      enqueue(greetPayload(state.lang));
    }
  }

  function switchLanguage(code) {
    if (code === state.lang) {
      return;
    }
    state.lang = code;
    applyLanguage();
    renderAll(); // notes follow the language
    state.greeted = true;
    enqueue(greetPayload(code)); // the bot greets in the new language
  }

  function newConversation() {
    if (retryTimer !== null) {
      window.clearTimeout(retryTimer);
      retryTimer = null;
    }
    retryDelay = 0;
    var open = state.open;
    state = freshState(state.lang);
    state.open = open;
    setOffline(false);
    renderAll();
    saveState();
    greetIfNew();
    input.focus();
  }

  function openPanel(focus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    root.classList.add(P + "is-open");
    state.open = true;
    saveState();
    scrollToEnd();
    greetIfNew();
    if (focus) {
      input.focus();
    }
  }

  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    root.classList.remove(P + "is-open");
    state.open = false;
    saveState();
    launcher.focus();
  }

  function autoResize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 120) + "px";
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) {
      openPanel(true);
    } else {
      closePanel();
    }
  });
  closeButton.addEventListener("click", closePanel);
  newButton.addEventListener("click", newConversation);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });
  input.addEventListener("input", autoResize);

  var composing = false;
  input.addEventListener("compositionstart", function () {
    composing = true;
  });
  input.addEventListener("compositionend", function () {
    composing = false;
  });
  input.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.shiftKey) {
      return;
    }
    // Enter that confirms a kana-to-kanji conversion belongs to the IME, not to us.
    // keyCode 229 covers Safari, which ends the composition before this keydown.
    if (event.isComposing || composing || event.keyCode === 229) {
      return;
    }
    event.preventDefault();
    submit();
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !event.isComposing && event.keyCode !== 229) {
      event.preventDefault();
      closePanel();
    }
  });

  // --- start ---
  function start() {
    document.body.appendChild(host);
    applyLanguage();
    renderAll();
    if (state.open) {
      openPanel(false); // reopened after navigation, without taking the page's focus
    }
    pump(); // messages a previous page could not send
  }

  if (document.body) {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
