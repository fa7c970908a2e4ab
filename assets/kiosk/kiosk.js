// The kiosk page's script: swaps in each screen the terminal reports over its event stream,
// keeps the idle clock and the countdowns running, and sends the touch buttons and the PIN of a
// forgotten badge. Loaded as a module from the page's own server (the CSP allows no inline script).

const root = document.documentElement;
const zone = root.dataset.zone;
const locale = root.dataset.locale;
const door = document.querySelector("[data-door]");
const CHANGE = { "content-type": "application/json", "x-timeclock-kiosk": "1" };

const clockText = new Intl.DateTimeFormat(locale, {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: zone,
});
const dateText = new Intl.DateTimeFormat(locale, {
  weekday: "long",
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: zone,
});

function tick() {
  const now = new Date();
  for (const clock of door.querySelectorAll("[data-clock]"))
    clock.textContent = clockText.format(now);
  for (const date of door.querySelectorAll("[data-date]")) date.textContent = dateText.format(now);
  for (const countdown of door.querySelectorAll("[data-until]")) {
    const left = Math.max(0, Math.ceil((Date.parse(countdown.dataset.until) - now) / 1000));
    countdown.textContent = `${left} s`;
  }
}
setInterval(tick, 1000);
tick();

const events = new EventSource("/events");
events.addEventListener("screen", (event) => {
  door.innerHTML = event.data;
  tick();
});

async function send(path, body) {
  const answer = await fetch(path, { method: "POST", headers: CHANGE, body: JSON.stringify(body) });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}`);
  return answer.json();
}

for (const button of document.querySelectorAll("[data-key]")) {
  button.addEventListener("click", async () => {
    button.classList.add("pressed");
    try {
      await send("/key", { key: button.dataset.key });
    } catch {
      button.classList.add("failed");
      setTimeout(() => button.classList.remove("failed"), 2000);
    } finally {
      setTimeout(() => button.classList.remove("pressed"), 300);
    }
  });
}

// Forgotten badge: pick a name (paged, searchable), type the PIN on the pad or the keyboard. The
// daemon checks it; a right PIN closes the dialog and the screen shows the tap like a badge's.
const dialog = document.querySelector("[data-pin-dialog]");
const opener = document.querySelector("[data-pin-open]");
if (dialog && opener) {
  const PAGE_SIZE = 8;
  const MAX_DIGITS = 8;
  const part = (name) => dialog.querySelector(`[data-pin-${name}]`);
  const title = part("title");
  const picker = part("picker");
  const search = part("search");
  const people = part("people");
  const none = part("none");
  const noMatch = part("nomatch");
  const pager = part("pager");
  const pageText = part("page");
  const prev = part("prev");
  const next = part("next");
  const pad = part("pad");
  const dots = part("dots");
  const message = part("message");
  let everyone = [];
  let page = 0;
  let person = null;
  let pin = "";
  let busy = false;
  let idle;

  const close = () => {
    clearTimeout(idle);
    person = null;
    pin = "";
    if (dialog.open) dialog.close();
  };
  // Someone who walks away leaves nothing half-typed for the next person.
  const stillThere = () => {
    clearTimeout(idle);
    idle = setTimeout(close, 45_000);
  };
  const showPin = () => {
    dots.textContent = "\u25cf".repeat(pin.length);
  };
  const matching = () => {
    const needle = search.value.trim().toLocaleLowerCase();
    return needle
      ? everyone.filter((entry) => entry.name.toLocaleLowerCase().includes(needle))
      : everyone;
  };

  const showNames = () => {
    const list = matching();
    const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    people.replaceChildren();
    for (const entry of list.slice(page * PAGE_SIZE, (page + 1) * PAGE_SIZE)) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.person = entry.id;
      button.textContent = entry.name;
      if (entry.locked) {
        const locked = document.createElement("span");
        locked.className = "locked";
        locked.textContent = entry.locked;
        button.append(locked);
      }
      button.addEventListener("click", () => choose(entry));
      item.append(button);
      people.append(item);
    }
    none.hidden = everyone.length > 0;
    noMatch.hidden = everyone.length === 0 || list.length > 0;
    pager.hidden = pages < 2;
    pageText.textContent = `${page + 1} / ${pages}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };

  const showPicker = () => {
    person = null;
    pin = "";
    title.textContent = title.dataset.choose;
    pad.hidden = true;
    picker.hidden = false;
    showNames();
  };

  function choose(entry) {
    stillThere();
    person = entry;
    pin = "";
    showPin();
    message.textContent = entry.locked ?? "";
    title.textContent = entry.name;
    picker.hidden = true;
    pad.hidden = false;
    pad.querySelector("[data-digit]").focus();
  }

  const typeDigit = (digit) => {
    stillThere();
    if (person && pin.length < MAX_DIGITS) pin += digit;
    showPin();
  };
  const erase = () => {
    stillThere();
    pin = pin.slice(0, -1);
    showPin();
  };
  const confirm = async () => {
    stillThere();
    if (person === null || pin.length === 0 || busy) return;
    const typed = pin;
    pin = "";
    showPin();
    busy = true;
    try {
      const result = await send("/pin", { person: person.id, pin: typed });
      if (result.ok) close();
      else message.textContent = result.text;
    } catch {
      message.textContent = dialog.dataset.failed;
    } finally {
      busy = false;
    }
  };

  opener.addEventListener("click", async () => {
    message.textContent = "";
    search.value = "";
    page = 0;
    everyone = [];
    showPicker();
    dialog.showModal();
    stillThere();
    try {
      const answer = await fetch("/people", { headers: { "x-timeclock-kiosk": "1" } });
      const body = await answer.json();
      if (!answer.ok) throw new Error(body.text ?? "");
      everyone = body.people;
      showNames();
      search.focus();
    } catch {
      message.textContent = dialog.dataset.failed;
    }
  });
  search.addEventListener("input", () => {
    stillThere();
    page = 0;
    showNames();
  });
  prev.addEventListener("click", () => {
    stillThere();
    page = Math.max(0, page - 1);
    showNames();
  });
  next.addEventListener("click", () => {
    stillThere();
    page += 1;
    showNames();
  });
  for (const digit of dialog.querySelectorAll("[data-digit]")) {
    digit.addEventListener("click", () => typeDigit(digit.dataset.digit));
  }
  dialog.querySelector("[data-erase]").addEventListener("click", erase);
  dialog.querySelector("[data-confirm]").addEventListener("click", confirm);
  part("back").addEventListener("click", () => {
    stillThere();
    message.textContent = "";
    showPicker();
    search.focus();
  });
  part("cancel").addEventListener("click", close);
  dialog.addEventListener("close", () => {
    clearTimeout(idle);
    person = null;
    pin = "";
  });
  // The keyboard types on the pad too: digits, Backspace, Enter.
  dialog.addEventListener("keydown", (event) => {
    if (pad.hidden) return;
    if (/^[0-9]$/.test(event.key)) typeDigit(event.key);
    else if (event.key === "Backspace") erase();
    else if (event.key === "Enter") confirm();
    else return;
    event.preventDefault();
  });
}
