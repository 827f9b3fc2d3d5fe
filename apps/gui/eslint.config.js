// The workspace's lint rules, plus Vue's for the single-file components.
import pluginVue from "eslint-plugin-vue";
import tseslint from "typescript-eslint";
import workspace from "../../eslint.config.js";

export default tseslint.config(
  ...workspace,
  ...pluginVue.configs["flat/recommended"],
  {
    files: ["**/*.vue"],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: [".vue"] } },
  },
  {
    files: ["src/**/*.{ts,vue}"],
    languageOptions: {
      globals: {
        window: "readonly",
        document: "readonly",
        navigator: "readonly",
        localStorage: "readonly",
        fetch: "readonly",
        Blob: "readonly",
        HTMLElement: "readonly",
        HTMLSelectElement: "readonly",
        AbortController: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
      },
    },
    rules: {
      // Prettier-free formatting of templates is left to the authors; these rules are about style only.
      "vue/max-attributes-per-line": "off",
      "vue/singleline-html-element-content-newline": "off",
      "vue/multiline-html-element-content-newline": "off",
      "vue/html-self-closing": "off",
      "vue/html-indent": "off",
      "vue/html-closing-bracket-newline": "off",
      "vue/attributes-order": "off",
      "vue/first-attribute-linebreak": "off",
      "vue/require-default-prop": "off",
    },
  },
);
