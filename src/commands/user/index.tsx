// "vmi user" alone lists, like "vmi user list".
export { default, description, options } from './list.js';
