/* embed.js placeholder: replaced by the link-preview script */
