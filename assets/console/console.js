// The console works without this script; it only makes pages update by themselves: the status
// page follows the terminal live, the enrolment page notices the tapped badge, and choosing a
// person fills in that person's projects. Loaded as a module from the console itself (the
// Content-Security-Policy allows no inline script).

const live = document.querySelector('[data-live="status"] [data-live-body]');
const waiting = document.querySelector('[data-live="enrolment"][data-arm]');

if ((live || waiting) && "EventSource" in window) {
  const events = new EventSource("/events");
  if (live) {
    events.addEventListener("status", (event) => {
      live.innerHTML = event.data;
    });
  }
  if (waiting) {
    events.addEventListener("enrolment", (event) => {
      const news = JSON.parse(event.data);
      if (news.armId === waiting.dataset.arm && news.state !== "armed") window.location.reload();
    });
  }
}

if (waiting) {
  // The arming ends after a minute even without news: show how it ended.
  const until = Date.parse(waiting.dataset.until ?? "");
  if (!Number.isNaN(until))
    setTimeout(() => window.location.reload(), Math.max(0, until - Date.now()) + 1500);
}

const projectForm = document.querySelector("form[data-projects-for]");
if (projectForm) {
  for (const button of projectForm.querySelectorAll("[data-no-js]")) button.hidden = true;
  const person = projectForm.querySelector("select[name=email]");
  const projects = projectForm.querySelector("select[name=projectId]");
  if (person && projects) {
    person.addEventListener("change", async () => {
      const answer = await fetch(`/enrol/projects?email=${encodeURIComponent(person.value)}`, {
        headers: { accept: "application/json" },
      });
      if (!answer.ok) return;
      const list = await answer.json();
      const first = projects.options[0];
      projects.replaceChildren(...(first ? [first] : []));
      for (const project of list) {
        projects.append(new Option(`${project.name} (${project.id})`, project.id));
      }
    });
  }
}
