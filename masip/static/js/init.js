// Starts GOV.UK Frontend's components. Every page works without this script.
import { initAll } from "/assets/govuk/govuk-frontend.min.js";

initAll();
