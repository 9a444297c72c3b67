// "vmi owner" alone lists, like "vmi owner list".
export { default, description, options } from './list.js';
