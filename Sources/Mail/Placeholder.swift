// Mail: placeholder until its issue lands.
