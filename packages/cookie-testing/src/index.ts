export { BrowserJar } from "./browser-jar.js";
export { deletesCookie, setCookiesNamed, type Cookie, type ResponseWithHeaders } from "./set-cookie.js";
