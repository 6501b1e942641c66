// Storage: placeholder until its issue lands.
