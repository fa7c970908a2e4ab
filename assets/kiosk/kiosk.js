// The kiosk page's script: swaps in each screen the terminal reports over its event stream,
// keeps the idle clock and the countdowns running, and sends the touch buttons. Loaded as a module
// from the page's own server (the CSP allows no inline script).

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
