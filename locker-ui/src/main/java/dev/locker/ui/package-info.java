/** What people see, and the firmware's entry point. */
package dev.locker.ui;
