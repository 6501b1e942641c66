// Tickets: placeholder until its issue lands.
