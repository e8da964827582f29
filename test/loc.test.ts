import { countLines } from "../tools/loc/main";

test("a line with any code is code; comments and blanks are told apart, templates included", () => {
  const text = [
    "/**",
    " * A doc comment.",
    " */",
    "const url = `https://example.com/${'a'}/${{ b: 1 }.b}`; // trailing comment",
    "",
    "// a line comment",
    "const s = `/* not a comment ${`nested ${1}`} */`;",
    "",
  ].join("\n");
  // The last "" is the file's final newline, not a blank line.
  expect(countLines(text)).toEqual({ code: 2, comment: 4, blank: 1 });
});
