/**
 * Text for people: {@link net.pflowd.text.OneLine} makes any value a user or a peer chose safe to print on one
 * line of a terminal or a log. Depends on nothing else of pflowd, so every package may use it.
 */
package net.pflowd.text;
