/** What the Azeer node accepts as an email address (agents' and contacts' email fields). */
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
