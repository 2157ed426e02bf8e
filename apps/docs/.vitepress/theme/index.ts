import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp() {
    // Interactive demos register their components here as the topic pages land.
  },
} satisfies Theme;
