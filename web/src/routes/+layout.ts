// A client-side app: the API serves index.html for every page and the app routes in the browser.
export const ssr = false;
export const prerender = false;
