// Entry point: loads the unit names, restores the session from the cookie
// (GET /api/v1/session) and renders the current page.
import './style.css';
import { App, type PageFn } from './app';
import { analyticsPage } from './pages/analytics';
import { auditPage } from './pages/audit';
import { broadcastsPage } from './pages/broadcasts';
import { complainPage } from './pages/complain';
import { coopPage } from './pages/coop';
import { dashboardPage } from './pages/dashboard';
import { grievancePage } from './pages/grievance';
import { householdPage } from './pages/household';
import { importPage } from './pages/import';
import { indicatorsPage } from './pages/indicators';
import { inkindPage } from './pages/inkind';
import { insurancePage } from './pages/insurance';
import { loginPage } from './pages/login';
import { monitoringPage } from './pages/monitoring';
import { registryPage } from './pages/registry';
import { templatesPage } from './pages/templates';
import { responsePage } from './pages/response';
import { trainingPage } from './pages/training';
import { usersPage } from './pages/users';
import { sessionFromJson } from './session';
import { loadUnits } from './units';

const pages: Record<string, PageFn> = {
  login: loginPage,
  insurance: insurancePage,
  response: responsePage,
  broadcasts: broadcastsPage,
  templates: templatesPage,
  monitoring: monitoringPage,
  analytics: analyticsPage,
  indicators: indicatorsPage,
  coop: coopPage,
  inkind: inkindPage,
  training: trainingPage,
  dashboard: dashboardPage,
  registry: registryPage,
  household: householdPage,
  import: importPage,
  users: usersPage,
  audit: auditPage,
  grievance: grievancePage,
  complain: complainPage,
};

async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const units = await loadUnits();
  const app = new App(root, units, pages);
  try {
    app.session = sessionFromJson(await app.api.get<unknown>('/api/v1/session'));
  } catch {
    app.session = null;
  }
  app.render();
}

void start().catch((e) => {
  const root = document.getElementById('app')!;
  root.textContent = `Малчин эхэлж чадсангүй / Malchin could not start: ${String(e?.message ?? e)}`;
});
