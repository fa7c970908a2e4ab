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

const dialog = document.querySelector("[data-pin-dialog]");
const opener = document.querySelector("[data-pin-open]");
if (dialog && opener) {
  const title = dialog.querySelector("[data-pin-title]");
  const people = dialog.querySelector("[data-pin-people]");
  const none = dialog.querySelector("[data-pin-none]");
  const pad = dialog.querySelector("[data-pin-pad]");
  const dots = dialog.querySelector("[data-pin-dots]");
  const message = dialog.querySelector("[data-pin-message]");
  let person = null;
  let pin = "";
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
    idle = setTimeout(close, 30_000);
  };
  const showPin = () => {
    dots.textContent = "•".repeat(pin.length);
  };

  opener.addEventListener("click", async () => {
    title.textContent = title.dataset.choose;
    message.textContent = "";
    pad.hidden = true;
    people.hidden = false;
    people.replaceChildren();
    dialog.showModal();
    stillThere();
    const answer = await fetch("/people");
    const list = answer.ok ? await answer.json() : [];
    none.hidden = list.length > 0;
    for (const entry of list) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = entry.name;
      button.addEventListener("click", () => {
        stillThere();
        person = entry.id;
        pin = "";
        showPin();
        message.textContent = "";
        title.textContent = entry.name;
        people.hidden = true;
        none.hidden = true;
        pad.hidden = false;
      });
      item.append(button);
      people.append(item);
    }
  });
  for (const digit of dialog.querySelectorAll("[data-digit]")) {
    digit.addEventListener("click", () => {
      stillThere();
      if (pin.length < 8) pin += digit.dataset.digit;
      showPin();
    });
  }
  dialog.querySelector("[data-erase]").addEventListener("click", () => {
    stillThere();
    pin = pin.slice(0, -1);
    showPin();
  });
  dialog.querySelector("[data-confirm]").addEventListener("click", async () => {
    stillThere();
    if (person === null || pin.length === 0) return;
    const typed = pin;
    pin = "";
    showPin();
    try {
      const result = await send("/pin", { person, pin: typed });
      if (result.outcome === "ok") close();
      else message.textContent = result.text;
    } catch {
      message.textContent = dialog.dataset.failed;
    }
  });
  dialog.querySelector("[data-pin-cancel]").addEventListener("click", close);
}
