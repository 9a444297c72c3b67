// "vmi source" alone lists, like "vmi source list".
export { default, description, options } from './list.js';
