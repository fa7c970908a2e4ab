/** The 5x7 font of the oled-js projects: 5 column bytes per glyph (bit 0 the top row), in `lookup` order. */
declare module "oled-font-5x7" {
  const font: {
    monospace: boolean;
    width: number;
    height: number;
    fontData: number[];
    lookup: string[];
  };
  export default font;
}
